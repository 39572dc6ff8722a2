import { Observable } from 'rxjs';

/**
 * An Observable over an iterator that pulls only on credit: it emits `initialCredits` values, then one more
 * per `grant()`. RxJS has no backpressure of its own; this is how the slowest stage (a sink awaiting the
 * disk) paces the generator, and why memory stays flat however long the run.
 */
export interface PulledSource<T> {
  readonly values: Observable<T>;
  grant(): void;
}

export function pullSource<T>(
  open: () => Iterator<T> | AsyncIterator<T>,
  initialCredits: number,
): PulledSource<T> {
  let wake: (() => void) | undefined;
  let credits = initialCredits;
  const grant = () => {
    credits++;
    wake?.();
  };
  const values = new Observable<T>((subscriber) => {
    const iterator = open();
    let stopped = false;
    const pump = async () => {
      try {
        for (;;) {
          while (credits <= 0 && !stopped) await new Promise<void>((resolve) => (wake = resolve));
          wake = undefined;
          if (stopped) return;
          credits--;
          const next = await iterator.next();
          if (stopped) return;
          if (next.done) return subscriber.complete();
          subscriber.next(next.value);
        }
      } catch (error) {
        subscriber.error(error);
      }
    };
    void pump();
    return () => {
      stopped = true;
      wake?.();
      void iterator.return?.();
    };
  });
  return { values, grant };
}
