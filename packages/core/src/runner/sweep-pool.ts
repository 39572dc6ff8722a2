import { isKolmoError } from '../errors.ts';
import { throwIfInterrupted } from './cancellation.ts';

/**
 * Runs `execute` for every index with at most `concurrency` in flight. The first failure aborts the signal the
 * others were given and no new index is started; the pool then waits for every started run to settle (so their
 * partial files are removed) before it throws. The error thrown is the first that is not an interruption caused
 * by that abort, so the user sees why the sweep stopped, not that its siblings were stopped.
 */
export async function runPool<T>(
  indices: readonly number[],
  concurrency: number,
  signal: AbortSignal,
  execute: (index: number, signal: AbortSignal) => Promise<T>,
): Promise<T[]> {
  const sweep = new AbortController();
  const forward = () => sweep.abort(signal.reason);
  if (signal.aborted) forward();
  else signal.addEventListener('abort', forward, { once: true });
  const results: T[] = [];
  const errors: unknown[] = [];
  let next = 0;
  const lane = async () => {
    while (next < indices.length && !sweep.signal.aborted) {
      const position = next++;
      try {
        results[position] = await execute(indices[position], sweep.signal);
      } catch (error) {
        errors.push(error);
        sweep.abort(error);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, indices.length)) }, lane));
  } finally {
    signal.removeEventListener('abort', forward);
  }
  if (errors.length) throw errors.find((error) => !(isKolmoError(error) && error.kind === 'interrupted')) ?? errors[0];
  throwIfInterrupted(sweep.signal, 'before every run of the sweep had started');
  return results;
}
