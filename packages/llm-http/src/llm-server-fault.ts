/**
 * Why one HTTP attempt failed. A `TransientFault` is retried (timeouts, resets, 429, 5xx, responses that fail
 * validation); a `ServerRefusal` is not (400/401/403/404: asking again gets the same answer).
 */
export class TransientFault extends Error {
  /** From a `Retry-After` header: the server's own wait, honoured by the backoff. */
  readonly retryAfterMs?: number;

  constructor(message: string, options: { retryAfterMs?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'TransientFault';
    this.retryAfterMs = options.retryAfterMs;
  }
}

export class ServerRefusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServerRefusal';
  }
}

/** A response that parsed but breaks the protocol or the checks (wrong ids, NaN log-probs): retried as transient. */
export class ResponseFault extends TransientFault {
  constructor(message: string) {
    super(message);
    this.name = 'ResponseFault';
  }
}

/** `Retry-After` is either delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(header: string | null, now = Date.now()): number | undefined {
  if (header === null) return undefined;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
