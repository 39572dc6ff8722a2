import { MultiBar, type SingleBar } from 'cli-progress';
import type { RunProgress } from '@kolmo/core';

export type SweepProgress = RunProgress & { run: number; runs: number };

interface RunState {
  readonly started: number;
  latest: SweepProgress;
  bar?: SingleBar;
}

/** Redraws at most this often, so progress costs nothing per batch. */
const redrawMs = 100;
/** Without a terminal (CI logs, files), one plain line this often, so a long run is never silent. */
const plainEveryMs = 10_000;

/**
 * Progress of a run or a sweep. On a terminal: an overall bar ("k of n runs", elapsed, ETA) and one bar per run in
 * flight (its own rate, phase, ETA), so concurrent runs never take turns on one line; messages print above the
 * bars. Elsewhere: a plain status line every 10 s. Silent when output is for machines.
 */
export class ProgressDisplay {
  private readonly started = performance.now();
  private readonly running = new Map<number, RunState>();
  private runsTotal = 0;
  private runsDone = 0;
  private lastDraw = 0;
  private lastPlain = performance.now();
  private bars: MultiBar | undefined;
  private overall: SingleBar | undefined;
  private readonly mode: 'terminal' | 'plain' | 'off';
  private readonly stream: NodeJS.WriteStream;

  constructor(mode: 'terminal' | 'plain' | 'off', stream: NodeJS.WriteStream = process.stderr) {
    this.mode = mode;
    this.stream = stream;
  }

  update(progress: SweepProgress): void {
    if (this.mode === 'off') return;
    this.runsTotal = progress.runs;
    const state = this.running.get(progress.run) ?? { started: performance.now(), latest: progress };
    state.latest = progress;
    this.running.set(progress.run, state);
    const now = performance.now();
    if (this.mode === 'plain') {
      if (now - this.lastPlain >= plainEveryMs) {
        this.lastPlain = now;
        this.stream.write(`${this.plainLine(now)}\n`);
      }
      return;
    }
    if (now - this.lastDraw < redrawMs) return;
    this.lastDraw = now;
    this.draw(now);
  }

  /** A run finished: its bar goes, the overall count moves. */
  runFinished(run: number, runs: number): void {
    this.runsTotal = runs;
    this.runsDone++;
    const state = this.running.get(run);
    if (state?.bar) this.bars?.remove(state.bar);
    this.running.delete(run);
    if (this.mode === 'terminal') this.draw(performance.now());
  }

  /** A message printed above the bars (or as a plain line), never glued into them. */
  log(message: string): void {
    if (this.bars) this.bars.log(`${message}\n`);
    else this.stream.write(`${message}\n`);
  }

  /** Removes the bars (at the end, on an error, on Ctrl-C). */
  stop(): void {
    this.bars?.stop();
    this.bars = undefined;
    this.overall = undefined;
    for (const state of this.running.values()) state.bar = undefined;
  }

  private draw(now: number): void {
    if (!this.bars) {
      this.bars = new MultiBar(
        { format: '{label} {bar} {detail}', stream: this.stream, hideCursor: true, clearOnComplete: true, barsize: 20, autopadding: true, forceRedraw: true },
      );
    }
    const elapsed = (now - this.started) / 1000;
    const fraction = this.overallFraction();
    const overallDetail = `${this.runsDone} of ${this.runsTotal} runs done | ${formatDuration(elapsed)} elapsed${fraction > 0 && fraction < 1 ? ` | ETA ${formatDuration((elapsed * (1 - fraction)) / fraction)}` : ''}`;
    if (this.runsTotal > 1) {
      if (!this.overall) this.overall = this.bars.create(1000, 0, { label: 'all runs', detail: overallDetail });
      this.overall.update(Math.round(fraction * 1000), { label: 'all runs', detail: overallDetail });
    }
    for (const [run, state] of this.running) {
      const { label, detail, total, value } = this.runLine(run, state, now);
      if (!state.bar) state.bar = this.bars.create(total, value, { label, detail });
      state.bar.setTotal(total);
      state.bar.update(value, { label, detail });
    }
  }

  private runLine(run: number, state: RunState, now: number) {
    const p = state.latest;
    const seconds = Math.max((now - state.started) / 1000, 1e-3);
    const expected = p.expectedDocuments ?? 0;
    const share = expected > 0 ? Math.min(p.documents / expected, 1) : 0;
    const label = `${p.runs > 1 ? `run ${run + 1}/${p.runs} ` : ''}${p.label}${p.phase === 'test' ? ' [test]' : ' [train]'}`;
    const eta = share > 0 && share < 1 ? ` | ETA ${formatDuration((seconds * (1 - share)) / share)}` : '';
    const detail = `${formatCount(p.documents)}${expected ? `/${formatCount(expected)}` : ''} docs | ${formatCount(p.tokens)} tokens | ${formatCount(p.tokens / seconds)} tok/s | ${formatDuration(seconds)}${eta}`;
    return { label, detail, total: expected || Math.max(p.documents, 1), value: p.documents };
  }

  /** Runs done plus the share of each run in flight (its documents over those expected). */
  private overallFraction(): number {
    if (this.runsTotal === 0) return 0;
    let partial = 0;
    for (const { latest } of this.running.values()) {
      if (latest.expectedDocuments) partial += Math.min(latest.documents / latest.expectedDocuments, 1) * (latest.phase === 'test' ? 1 : 0.95);
    }
    return Math.min((this.runsDone + partial) / this.runsTotal, 1);
  }

  private plainLine(now: number): string {
    const elapsed = (now - this.started) / 1000;
    const fraction = this.overallFraction();
    const runs = [...this.running.entries()].map(([run, state]) => {
      const { label, detail } = this.runLine(run, state, now);
      return `${label}: ${detail}`;
    });
    const head = `progress: ${this.runsDone} of ${this.runsTotal} runs done, ${formatDuration(elapsed)} elapsed${fraction > 0 && fraction < 1 ? `, ETA ${formatDuration((elapsed * (1 - fraction)) / fraction)}` : ''}`;
    return [head, ...runs.map((line) => `  ${line}`)].join('\n');
  }
}

export function formatCount(value: number): string {
  if (value >= 1e9) return `${(value / 1e9).toFixed(2)}G`;
  if (value >= 1e6) return `${(value / 1e6).toFixed(2)}M`;
  if (value >= 1e4) return `${(value / 1e3).toFixed(1)}k`;
  return String(Math.round(value));
}

/** 7s, 2m05s, 1h02m. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
