import { setMaxListeners } from 'node:events';
import {
  KolmoError,
  type BackendCapabilities,
  type BackendIdentity,
  type LogProbBackend,
  type Logger,
  type ScoreRequest,
  type ScoredTokens,
  type TokenizedText,
} from '@kolmo/core';
import { readApiKey } from './api-key.ts';
import { baseUrlsOf, type HttpBackendConfig } from './http-backend-config.ts';
import { LlmHttpClient } from './llm-http-client.ts';

/** One server protocol: how a single text is tokenized and a single request scored, through the shared client. */
export interface HttpProtocol {
  tokenizeOne(text: string, what: string, signal: AbortSignal): Promise<TokenizedText>;
  scoreOne(request: ScoreRequest, what: string, signal: AbortSignal): Promise<ScoredTokens>;
}

/**
 * A `LogProbBackend` over an HTTP server: batches fan out as concurrent requests through one client (its
 * bulkhead bounds them), results come back in request order, and the first failure cancels the rest of its batch.
 */
export class HttpLogProbBackend implements LogProbBackend {
  readonly identity: BackendIdentity;
  readonly capabilities: BackendCapabilities;
  private readonly protocol: HttpProtocol;

  constructor(identity: BackendIdentity, capabilities: BackendCapabilities, protocol: HttpProtocol) {
    this.identity = identity;
    this.capabilities = capabilities;
    this.protocol = protocol;
  }

  tokenize(texts: readonly string[], signal?: AbortSignal): Promise<readonly TokenizedText[]> {
    return this.fanOut(texts, signal, (text, i, batchSignal) => this.protocol.tokenizeOne(text, `text ${i} of ${texts.length}`, batchSignal));
  }

  scoreTokens(requests: readonly ScoreRequest[], signal?: AbortSignal): Promise<readonly ScoredTokens[]> {
    requests.forEach((request, i) => this.checkRequest(request, i));
    return this.fanOut(requests, signal, (request, i, batchSignal) =>
      this.protocol.scoreOne(request, `request ${i} of ${requests.length} (${request.ids.length} tokens)`, batchSignal),
    );
  }

  private checkRequest(request: ScoreRequest, i: number): void {
    const { ids, scoreFrom } = request;
    const problem =
      !Number.isInteger(scoreFrom) || scoreFrom < 1
        ? `scoreFrom ${scoreFrom} must be ≥ 1 (the first token is context)`
        : scoreFrom > ids.length
          ? `scoreFrom ${scoreFrom} is past the ${ids.length} tokens`
          : ids.length > this.capabilities.maxContextTokens
            ? `${ids.length} tokens exceed the context of ${this.capabilities.maxContextTokens}`
            : undefined;
    if (problem) throw new KolmoError('failed', `${this.identity.id}: score request ${i}: ${problem}`);
  }

  private async fanOut<I, O>(items: readonly I[], signal: AbortSignal | undefined, one: (item: I, i: number, signal: AbortSignal) => Promise<O>): Promise<O[]> {
    if (signal?.aborted) throw new KolmoError('interrupted', `interrupted: ${this.identity.id} requests cancelled`);
    const batch = new AbortController();
    setMaxListeners(0, batch.signal); // one listener per request in flight, by design
    const onAbort = () => batch.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await Promise.all(
        items.map((item, i) =>
          // async: a check that throws before its request is a rejection like any other, not a stray throw.
          (async () => one(item, i, batch.signal))().catch((error: unknown) => {
            batch.abort(error); // the batch has failed: stop its other requests
            throw error;
          }),
        ),
      );
    } catch (error) {
      if (signal?.aborted) throw new KolmoError('interrupted', `interrupted: ${this.identity.id} requests cancelled`);
      throw error;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }
}

/**
 * `<adapter>:<model>@<revision or "unknown">`, then the settings that change the numbers in brackets
 * (`openai-compatible:llama-3-8b@main[flavour=vllm]`). Never the URL or the key: the same model behind another
 * server gives the same numbers, and ids go into caches and manifests.
 */
export function httpBackendIdentity(adapter: string, config: Pick<HttpBackendConfig, 'model' | 'revision'>, settings: Record<string, string | number | undefined> = {}): BackendIdentity {
  const shown = Object.entries(settings)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${value}`);
  const revision = config.revision ?? 'unknown';
  return {
    id: `${adapter}:${config.model}@${revision}${shown.length ? `[${shown.join(',')}]` : ''}`,
    model: config.model,
    revision: config.revision,
    tokenizer: `${config.model}@${revision}`,
  };
}

/** The client for a config: servers, key from the environment, timeouts, retries, breaker, concurrency. */
export function httpClientFor(adapter: string, config: HttpBackendConfig, where: string, log?: Logger): LlmHttpClient {
  return new LlmHttpClient({
    adapter,
    baseUrls: baseUrlsOf(config, where),
    apiKey: readApiKey(config.apiKeyEnv, where),
    timeoutMs: config.timeoutMs,
    concurrency: config.concurrency,
    maxRetries: config.maxRetries,
    retryDelayMs: config.retryDelayMs,
    maxRetryDelayMs: config.maxRetryDelayMs,
    breakAfterFailures: config.breakAfterFailures,
    log,
  });
}

/** Capabilities shared by HTTP servers: they batch on their side, and GPU kernels are not bit-for-bit repeatable. */
export function httpCapabilities(config: HttpBackendConfig, distribution: 'top-k' | 'token'): BackendCapabilities {
  return {
    maxContextTokens: config.maxContextTokens,
    maxBatchSize: config.maxBatchSize,
    distribution: distribution === 'top-k' && config.topK > 0 ? 'top-k' : 'token',
    topK: distribution === 'top-k' && config.topK > 0 ? config.topK : undefined,
    deterministic: false,
    bosTokenId: config.bosTokenId,
  };
}
