import { setImmediate as nextMacrotask } from 'node:timers/promises';
import { KolmoError } from '../errors.ts';

/**
 * A stream whose stages are all synchronous or resolve at once only ever awaits microtasks, and signal handlers
 * (Ctrl-C) run only between macrotasks; one `setImmediate` per batch lets them in at a cost of microseconds.
 */
export function yieldToEventLoop(): Promise<void> {
  return nextMacrotask();
}

/** Throws the `interrupted` error when the signal was aborted: checked between the steps of a run. */
export function throwIfInterrupted(signal: AbortSignal | undefined, during: string): void {
  if (signal?.aborted) {
    throw new KolmoError('interrupted', `interrupted ${during}: the run was stopped before it finished; no partial output was kept`);
  }
}
