import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatDuration, ProgressDisplay } from './progress-display.ts';

/** A stream that keeps what is written (the display only writes). */
function capture() {
  const chunks: string[] = [];
  return { stream: { write: (chunk: string) => (chunks.push(chunk), true) } as unknown as NodeJS.WriteStream, text: () => chunks.join('') };
}

afterEach(() => vi.useRealTimers());

describe('progress without a terminal', () => {
  it('prints a plain status line every 10 s: runs done of all, elapsed, ETA, and each run with its own rate and phase', () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const out = capture();
    const display = new ProgressDisplay('plain', out.stream);
    display.update({ label: 'N=100', phase: 'train', documents: 0, tokens: 0, expectedDocuments: 1000, run: 0, runs: 4 });
    vi.advanceTimersByTime(5_000);
    display.update({ label: 'N=100', phase: 'train', documents: 500, tokens: 50_000, expectedDocuments: 1000, run: 0, runs: 4 });
    expect(out.text()).toBe(''); // not before 10 s
    display.runFinished(0, 4);
    display.update({ label: 'N=316', phase: 'test', documents: 100, tokens: 10_000, expectedDocuments: 200, run: 1, runs: 4 });
    vi.advanceTimersByTime(5_000);
    display.update({ label: 'N=316', phase: 'test', documents: 100, tokens: 10_000, expectedDocuments: 200, run: 1, runs: 4 });
    const text = out.text();
    // 1.5 of 4 runs in 10 s: 10 · 2.5 / 1.5 ≈ 17 s to go
    expect(text).toMatch(/^progress: 1 of 4 runs done, 10s elapsed, ETA 17s\n/);
    // this run's rate is its tokens over its own 5 s, not over the sweep's 10 s
    expect(text).toContain('run 2/4 N=316 [test]: 100/200 docs | 10.0k tokens | 2000 tok/s | 5s | ETA 5s');
  });

  it('prints nothing when off (machine output)', () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const out = capture();
    const display = new ProgressDisplay('off', out.stream);
    vi.advanceTimersByTime(60_000);
    display.update({ label: 'x', phase: 'train', documents: 1, tokens: 1, run: 0, runs: 1 });
    display.log('a message');
    expect(out.text()).toBe('a message\n');
  });

  it('writes durations the way people read them', () => {
    expect([formatDuration(7.4), formatDuration(125), formatDuration(3720), formatDuration(Number.NaN)]).toEqual(['7s', '2m05s', '1h02m', '?']);
  });
});
