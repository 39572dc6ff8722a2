import { SingleBar } from 'cli-progress';
import type { RunProgress } from '@kolmo/core';

/**
 * A progress bar on a terminal (documents, tokens and rate, per run and overall); silent when stderr is not
 * a terminal or output is for machines. Redraws at most every 100 ms, so it costs nothing per batch.
 */
export class ProgressDisplay {
  private bar: SingleBar | undefined;
  private readonly started = performance.now();
  private lastDraw = 0;
  private readonly runsDone = new Set<number>();

  private readonly enabled: boolean;

  constructor(enabled: boolean) {
    this.enabled = enabled;
  }

  update(progress: RunProgress & { run: number; runs: number }): void {
    if (!this.enabled) return;
    const now = performance.now();
    if (now - this.lastDraw < 100) return;
    this.lastDraw = now;
    const seconds = (now - this.started) / 1000;
    const total = progress.expectedDocuments ?? 0;
    const payload = {
      label: progress.runs > 1 ? `run ${progress.run + 1}/${progress.runs} ${progress.label}` : progress.label,
      tokens: formatCount(progress.tokens),
      rate: `${formatCount(progress.tokens / Math.max(seconds, 1e-3))} tok/s`,
      docs: formatCount(progress.documents),
    };
    if (!this.bar) {
      this.bar = new SingleBar({
        format: total ? '{label} [{bar}] {percentage}% | {docs} docs | {tokens} tokens | {rate}' : '{label} | {docs} docs | {tokens} tokens | {rate}',
        stream: process.stderr,
        hideCursor: true,
        clearOnComplete: true,
        barsize: 24,
      });
      this.bar.start(total || 1, progress.documents, payload);
    }
    this.bar.setTotal(total || Math.max(progress.documents, 1));
    this.bar.update(progress.documents, payload);
  }

  stop(): void {
    this.bar?.stop();
    this.bar = undefined;
  }
}

export function formatCount(value: number): string {
  if (value >= 1e9) return `${(value / 1e9).toFixed(2)}G`;
  if (value >= 1e6) return `${(value / 1e6).toFixed(2)}M`;
  if (value >= 1e4) return `${(value / 1e3).toFixed(1)}k`;
  return String(Math.round(value));
}
