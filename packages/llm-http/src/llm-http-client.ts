import {
  BrokenCircuitError,
  ConsecutiveBreaker,
  TaskCancelledError,
  TimeoutStrategy,
  bulkhead,
  circuitBreaker,
  handleWhen,
  retry,
  timeout,
  wrap,
  type IPolicy,
} from 'cockatiel';
import { KolmoError, type Logger } from '@kolmo/core';
import { redactKey } from './api-key.ts';
import { LeastBusyRouter } from './least-busy-router.ts';
import { ResponseFault, ServerRefusal, TransientFault, parseRetryAfter } from './llm-server-fault.ts';
import { RetryAfterBackoff } from './retry-after-backoff.ts';

export interface LlmHttpClientOptions {
  /** The adapter, for messages (`sglang`, `openai-compatible`). */
  readonly adapter: string;
  readonly baseUrls: readonly string[];
  /** Sent as `Authorization: Bearer …`; never put in a message. */
  readonly apiKey?: string;
  readonly timeoutMs: number;
  /** Requests in flight per server. */
  readonly concurrency: number;
  readonly maxRetries: number;
  readonly retryDelayMs: number;
  readonly maxRetryDelayMs: number;
  readonly breakAfterFailures: number;
  readonly log?: Logger;
}

export interface PostOptions<T> {
  readonly signal?: AbortSignal;
  /** What this request is for, in errors: `text 3 of 8`, `request 2 (tokens 0..512)`. */
  readonly what: string;
  /** Reads and checks the parsed body; throws `ResponseFault` for anything wrong (retried like a 503). */
  readonly parse: (body: unknown) => T;
}

/** How long a server that broke the circuit is left alone before one trial request. */
const halfOpenAfterMs = 30_000;

/**
 * A JSON-over-HTTP client for model servers, on Node's fetch (undici). Every request: the least busy server,
 * a per-attempt timeout, retries with exponential backoff and jitter on transient faults (timeouts, resets,
 * 429 honouring Retry-After, 5xx, responses the adapter's parser rejects), no retry on 400/401/403/404, and a
 * circuit breaker that fails every later request at once when the servers keep failing, so a run stops cleanly.
 * Policies are cockatiel's (retry ∘ breaker ∘ bulkhead ∘ timeout); the bulkhead bounds concurrency, and sits
 * inside the retry so a request waiting out its backoff holds no slot.
 */
export class LlmHttpClient {
  readonly router: LeastBusyRouter;
  private readonly options: LlmHttpClientOptions;
  private readonly policy: IPolicy<{ signal: AbortSignal }>;
  private readonly breakerPolicy;

  constructor(options: LlmHttpClientOptions) {
    this.options = options;
    this.router = new LeastBusyRouter(options.baseUrls);
    const transient = handleWhen((error) => error instanceof TransientFault || error instanceof TaskCancelledError);
    const retryPolicy = retry(transient, {
      maxAttempts: options.maxRetries,
      backoff: new RetryAfterBackoff({
        initialDelayMs: options.retryDelayMs,
        maxDelayMs: Math.max(options.retryDelayMs, options.maxRetryDelayMs),
        maxRetryAfterMs: options.maxRetryDelayMs,
      }),
    });
    retryPolicy.onRetry((event) => {
      const reason = 'error' in event ? this.describe(event.error) : 'unexpected result';
      options.log?.warn(`${options.adapter}: retry ${event.attempt}/${options.maxRetries} in ${Math.round(event.delay)} ms after: ${reason}`);
    });
    this.breakerPolicy = circuitBreaker(transient, {
      halfOpenAfter: halfOpenAfterMs,
      breaker: new ConsecutiveBreaker(options.breakAfterFailures),
    });
    const slots = bulkhead(options.concurrency * options.baseUrls.length, Number.MAX_SAFE_INTEGER);
    const perAttempt = timeout(options.timeoutMs, TimeoutStrategy.Aggressive);
    this.policy = wrap(retryPolicy, this.breakerPolicy, slots, perAttempt) as IPolicy<{ signal: AbortSignal }>;
  }

  /** POSTs `body` as JSON to `path` on the least busy server and returns what `parse` made of the response. */
  async postJson<T>(path: string, body: unknown, options: PostOptions<T>): Promise<T> {
    const { signal, what } = options;
    const { adapter } = this.options;
    if (signal?.aborted) throw interrupted(adapter, what);
    const payload = JSON.stringify(body);
    let lastServer = this.options.baseUrls.join(', ');
    const attempt = async ({ signal: attemptSignal }: { signal: AbortSignal }) => {
      if (signal?.aborted) throw interrupted(adapter, what);
      const { baseUrl, release } = this.router.acquire();
      lastServer = baseUrl;
      try {
        const result = await this.attemptOnce(`${baseUrl}${path}`, payload, attemptSignal, options.parse);
        release('ok');
        return result;
      } catch (error) {
        release(signal?.aborted || error instanceof ServerRefusal ? 'neutral' : 'failed');
        throw error;
      }
    };
    try {
      return await untilAborted(this.policy.execute(attempt, signal), signal, () => interrupted(adapter, what));
    } catch (error) {
      if (signal?.aborted || (error instanceof KolmoError && error.kind === 'interrupted')) throw interrupted(adapter, what);
      if (error instanceof KolmoError) throw error;
      throw new KolmoError('input', this.failureMessage(error, lastServer, path, what), { cause: error });
    }
  }

  private async attemptOnce<T>(url: string, payload: string, signal: AbortSignal, parse: (body: unknown) => T): Promise<T> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (this.options.apiKey) headers.authorization = `Bearer ${this.options.apiKey}`;
    let response: Awaited<ReturnType<typeof fetch>>;
    let text: string;
    try {
      response = await fetch(url, { method: 'POST', headers, body: payload, signal });
      text = await response.text();
    } catch (error) {
      if (signal.aborted) throw error;
      throw new TransientFault(`${url}: connection failed (${causeOf(error)})`, { cause: error });
    }
    if (!response.ok) {
      const said = this.redact(text.slice(0, 300).trim());
      const message = `${url}: HTTP ${response.status}${said ? `: ${said}` : ''}`;
      if (response.status === 429 || response.status === 408 || response.status >= 500) {
        throw new TransientFault(message, { retryAfterMs: parseRetryAfter(response.headers.get('retry-after')) });
      }
      throw new ServerRefusal(message);
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new ResponseFault(`${url}: the response is not JSON (${text.length} characters: ${JSON.stringify(this.redact(text.slice(0, 80)))}…)`);
    }
    try {
      return parse(body);
    } catch (error) {
      if (error instanceof TransientFault || error instanceof ServerRefusal) {
        throw new ResponseFault(`${url}: ${error.message}`);
      }
      throw error;
    }
  }

  private failureMessage(error: unknown, server: string, path: string, what: string): string {
    const { adapter, maxRetries, breakAfterFailures } = this.options;
    if (error instanceof BrokenCircuitError) {
      const last = this.breakerPolicy.lastFailure;
      const reason = last && 'error' in last ? this.describe(last.error) : 'repeated failures';
      return `${adapter} server ${server}: stopped after ${breakAfterFailures} consecutive failed requests (circuit open) while scoring ${what}; last failure: ${reason}`;
    }
    if (error instanceof ServerRefusal) return `${adapter} server refused ${what}: ${this.describe(error)}`;
    return `${adapter} server ${server}${path}: ${what} failed after ${maxRetries + 1} attempts: ${this.describe(error)}`;
  }

  private describe(error: unknown): string {
    if (error instanceof TaskCancelledError) return `no response within ${this.options.timeoutMs} ms (timeout)`;
    return this.redact(error instanceof Error ? error.message : String(error));
  }

  private redact(text: string): string {
    return redactKey(text, this.options.apiKey);
  }
}

function interrupted(adapter: string, what: string): KolmoError {
  return new KolmoError('interrupted', `interrupted: ${adapter} request for ${what} cancelled`);
}

/** Rejects as soon as the signal aborts, even while the retry policy sleeps through a backoff. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined, error: () => Error): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(error());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (reason: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(reason);
      },
    );
  });
}

/** undici wraps the socket error: `fetch failed` with `cause.code` ECONNRESET, UND_ERR_SOCKET, ECONNREFUSED… */
function causeOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause as { code?: string; message?: string } | undefined;
  return [error.message, cause?.code, cause?.message].filter(Boolean).join(': ');
}
