import { KolmoError } from '@kolmo/core';

/**
 * API keys come only from the environment: a spec names the variable (`apiKeyEnv: OPENAI_API_KEY`), never the
 * key, so keys stay out of specs, manifests, caches and logs.
 */
export function readApiKey(apiKeyEnv: string | undefined, where: string): string | undefined {
  if (apiKeyEnv === undefined) return undefined;
  const key = process.env[apiKeyEnv];
  if (key === undefined || key === '') {
    throw new KolmoError('invalidSpec', `${where}.apiKeyEnv: the environment variable ${apiKeyEnv} is not set (it should hold the API key)`);
  }
  return key;
}

/** Replaces every occurrence of the key in a text a server sent back (some servers echo the header). */
export function redactKey(text: string, key: string | undefined): string {
  if (!key) return text;
  return text.split(key).join('[redacted]');
}
