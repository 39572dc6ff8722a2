import { ExponentialBackoff, decorrelatedJitterGenerator, type IBackoff, type IBackoffFactory, type IRetryBackoffContext } from 'cockatiel';
import { TransientFault } from './llm-server-fault.ts';

/**
 * Exponential backoff with decorrelated jitter (cockatiel's), except that a server's `Retry-After` wins when it
 * asks for longer (capped at `maxRetryAfterMs`, so a confused server cannot park a run for hours).
 */
export class RetryAfterBackoff implements IBackoffFactory<IRetryBackoffContext<unknown>> {
  private readonly exponential: IBackoffFactory<unknown>;
  private readonly maxRetryAfterMs: number;

  constructor(options: { initialDelayMs: number; maxDelayMs: number; maxRetryAfterMs: number }) {
    this.exponential = new ExponentialBackoff({
      generator: decorrelatedJitterGenerator,
      initialDelay: options.initialDelayMs,
      maxDelay: options.maxDelayMs,
    });
    this.maxRetryAfterMs = options.maxRetryAfterMs;
  }

  next(context: IRetryBackoffContext<unknown>): IBackoff<IRetryBackoffContext<unknown>> {
    return this.step(this.exponential.next(context), context);
  }

  private step(inner: IBackoff<unknown>, context: IRetryBackoffContext<unknown>): IBackoff<IRetryBackoffContext<unknown>> {
    const error = 'error' in context.result ? context.result.error : undefined;
    const asked = error instanceof TransientFault && error.retryAfterMs !== undefined ? Math.min(error.retryAfterMs, this.maxRetryAfterMs) : 0;
    return {
      duration: Math.max(inner.duration, asked),
      next: (nextContext) => this.step(inner.next(nextContext), nextContext),
    };
  }
}
