import { z } from 'zod';

/**
 * Training steps at which to take checkpoints: a log grid start, start·10^{1/m}, start·10^{2/m}, … (rounded,
 * strictly increasing, the last capped at `total` when the run's length is known), or an explicit increasing
 * list (e.g. dense around a fine-tuning boundary). `next(d)` is the first checkpoint ≥ d (Infinity past a list).
 */
export class CheckpointGrid {
  private readonly start: number;
  private readonly perDecade: number;
  private readonly total: number;
  private readonly list: readonly number[] | undefined;
  private index = 0;
  private current: number;

  constructor(start: number, perDecade: number, total = Infinity, list?: readonly number[]) {
    this.start = start;
    this.perDecade = perDecade;
    this.total = total;
    this.list = list;
    this.current = list ? (list[0] ?? Infinity) : Math.min(start, total);
  }

  /** An explicit list of steps (increasing). */
  static at(steps: readonly number[]): CheckpointGrid {
    return new CheckpointGrid(1, 1, Infinity, steps);
  }

  /** The first checkpoint at or after step d (steps count documents from 1). */
  next(step: number): number {
    while (this.current < step) {
      this.index++;
      if (this.list) {
        this.current = this.list[this.index] ?? Infinity;
        continue;
      }
      const candidate = Math.max(this.current + 1, Math.round(this.start * 10 ** (this.index / this.perDecade)));
      this.current = Math.min(candidate, Math.max(this.total, step));
    }
    return this.current;
  }

  /** All log-grid checkpoints up to `total` (for documentation and tests). */
  static list(start: number, perDecade: number, total: number): number[] {
    const grid = new CheckpointGrid(start, perDecade, total);
    const steps: number[] = [];
    for (let step = 1; step <= total; ) {
      const c = grid.next(step);
      steps.push(c);
      step = c + 1;
    }
    return steps;
  }
}

/** A config field: training steps, whole documents, increasing. */
export const increasingSteps = z
  .array(z.number().int().min(1))
  .min(1)
  .refine((steps) => steps.every((step, i) => i === 0 || step > steps[i - 1]), 'steps must increase');
