/**
 * Training steps on a log grid: start, start·10^{1/m}, start·10^{2/m}, … (rounded, strictly increasing), the
 * last one capped at `total` when the run's length is known. `next(d)` is the first checkpoint ≥ d.
 */
export class CheckpointGrid {
  private readonly start: number;
  private readonly perDecade: number;
  private readonly total: number;
  private index = 0;
  private current: number;

  constructor(start: number, perDecade: number, total = Infinity) {
    this.start = start;
    this.perDecade = perDecade;
    this.total = total;
    this.current = Math.min(start, total);
  }

  /** The first checkpoint at or after step d (steps count documents from 1). */
  next(step: number): number {
    while (this.current < step) {
      this.index++;
      const candidate = Math.max(this.current + 1, Math.round(this.start * 10 ** (this.index / this.perDecade)));
      this.current = Math.min(candidate, Math.max(this.total, step));
    }
    return this.current;
  }

  /** All checkpoints up to `total` (for documentation and tests). */
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
