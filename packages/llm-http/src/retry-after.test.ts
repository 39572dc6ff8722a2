import { describe, expect, it } from 'vitest';
import type { IRetryBackoffContext } from 'cockatiel';
import { TransientFault, parseRetryAfter } from './llm-server-fault.ts';
import { RetryAfterBackoff } from './retry-after-backoff.ts';

describe('Retry-After', () => {
  it('parses delay-seconds and HTTP dates', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:10 GMT', now)).toBe(10_000);
  });

  it('waits at least what the server asked, capped, else the jittered exponential delay', () => {
    const backoff = new RetryAfterBackoff({ initialDelayMs: 10, maxDelayMs: 100, maxRetryAfterMs: 5_000 });
    const context = (error: Error): IRetryBackoffContext<unknown> => ({ attempt: 1, signal: new AbortController().signal, result: { error } });
    const asked = backoff.next(context(new TransientFault('429', { retryAfterMs: 2_000 })));
    expect(asked.duration).toBe(2_000);
    expect(asked.next(context(new TransientFault('429', { retryAfterMs: 60_000 }))).duration).toBe(5_000);
    const plain = backoff.next(context(new TransientFault('503')));
    expect(plain.duration).toBeGreaterThanOrEqual(0);
    expect(plain.duration).toBeLessThanOrEqual(100);
  });
});
