import { KolmoError, z } from '@kolmo/core';

/**
 * The config fields every HTTP log-prob backend shares. Adapters spread `httpBackendFields` into their own
 * zod object, so `kolmo plugins` lists these with their defaults and descriptions.
 */
export const httpBackendFields = {
  baseUrl: z.string().optional().describe('the server, e.g. http://127.0.0.1:8000 (or give baseUrls)'),
  baseUrls: z
    .array(z.string())
    .min(1)
    .optional()
    .describe('several servers of the same model (one per GPU): each request goes to the least busy'),
  model: z.string().min(1).describe('the model name the server knows (sent in requests, part of the backend id)'),
  revision: z.string().optional().describe('checkpoint or commit of the model; goes into the backend id and manifests'),
  apiKeyEnv: z
    .string()
    .optional()
    .describe('name of the environment variable holding the API key (the key itself never goes in a spec)'),
  timeoutMs: z.number().int().positive().default(60_000).describe('per-request timeout (each attempt)'),
  concurrency: z.number().int().positive().default(8).describe('requests in flight per server'),
  maxRetries: z.number().int().nonnegative().default(5).describe('retries of a failed request (timeouts, resets, 429, 5xx, invalid responses)'),
  retryDelayMs: z.number().int().nonnegative().default(250).describe('first backoff delay; grows exponentially with jitter'),
  maxRetryDelayMs: z.number().int().nonnegative().default(30_000).describe('longest backoff delay, and the cap on a server\'s Retry-After'),
  breakAfterFailures: z
    .number()
    .int()
    .positive()
    .default(10)
    .describe('consecutive failed attempts after which the circuit opens and the run stops'),
  topK: z.number().int().nonnegative().default(0).describe('also return the k most likely tokens per position (0: none)'),
  maxContextTokens: z.number().int().positive().default(4096).describe("the model's context window in tokens"),
  maxBatchSize: z.number().int().positive().default(32).describe('texts or windows the stage should hand over per call'),
  bosTokenId: z.number().int().nonnegative().optional().describe("the model's beginning-of-sequence token id, if it has one"),
};

export const httpBackendConfig = z.object(httpBackendFields);

/** Adds the one cross-field rule (exactly one of baseUrl/baseUrls) to an adapter's config, so `kolmo validate` catches it. */
export function withOneBaseUrl<S extends z.ZodObject>(schema: S): S {
  return schema.refine(
    (config: { baseUrl?: unknown; baseUrls?: unknown }) => (config.baseUrl === undefined) !== (config.baseUrls === undefined),
    { message: 'give the server as baseUrl, or several as baseUrls (exactly one of the two)', path: ['baseUrl'] },
  ) as S;
}
export type HttpBackendConfig = z.output<typeof httpBackendConfig>;

/** The servers of a config, without trailing slashes; exactly one of `baseUrl`/`baseUrls` is required. */
export function baseUrlsOf(config: Pick<HttpBackendConfig, 'baseUrl' | 'baseUrls'>, where: string): string[] {
  const urls = config.baseUrls ?? (config.baseUrl === undefined ? [] : [config.baseUrl]);
  if (config.baseUrl !== undefined && config.baseUrls !== undefined) {
    throw new KolmoError('invalidSpec', `${where}: give baseUrl or baseUrls, not both`);
  }
  if (urls.length === 0) throw new KolmoError('invalidSpec', `${where}.baseUrl: required (the server's address, e.g. http://127.0.0.1:8000)`);
  return urls.map((url, i) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new KolmoError('invalidSpec', `${where}.baseUrl${urls.length > 1 ? `s[${i}]` : ''}: ${JSON.stringify(url)} is not a URL`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new KolmoError('invalidSpec', `${where}.baseUrl: ${JSON.stringify(url)} must be http:// or https://`);
    }
    if (parsed.username || parsed.password) {
      throw new KolmoError('invalidSpec', `${where}.baseUrl: credentials in the URL are not allowed; use apiKeyEnv`);
    }
    return url.replace(/\/+$/, '');
  });
}
