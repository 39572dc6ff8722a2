import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Rng, Slot, type DocumentBatch, type SinkRecord, type StageContext, type TokenBatch } from '@kolmo/core';
import { tableFromIPC } from 'apache-arrow';
import { acquisitionSink } from './acquisition-sink.ts';

const folder = mkdtempSync(join(tmpdir(), 'kolmo-acquisition-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function context(point: Record<string, unknown> = {}): StageContext {
  return { runDir: folder, specDir: folder, point, seed: 1, rng: (name) => new Rng(1).split(name), signal: new AbortController().signal, log: { info() {}, warn() {} }, create: () => Promise.reject(new Error('no')), upstream: {} };
}

/**
 * Documents of three tokens each (a syntax token, a name token, a value token) with chosen frequencies, oracle
 * bits, and bits of two predictors: "good" pays the oracle's knowledge bits + 0.5, "bad" + 3.
 */
function record(first: number, frequencies: number[], phase: 'train' | 'test'): SinkRecord {
  const n = frequencies.length;
  const documents: DocumentBatch = { first, text: frequencies.map(() => 'x'), columns: { frequency: Float64Array.from(frequencies), element: new Int32Array(n) } };
  const length = 3 * n;
  const tokens: TokenBatch = {
    length,
    ids: new Int32Array(length),
    doc: Int32Array.from({ length }, (_, i) => first + Math.floor(i / 3)),
    slot: Uint8Array.from({ length }, (_, i) => [Slot.syntax, Slot.name, Slot.value][i % 3]),
    start: new Int32Array(length),
    end: new Int32Array(length),
    offsetUnit: 'utf16',
    trueBits: Float64Array.from({ length }, (_, i) => (i % 3 === 0 ? 2 : i % 3 === 1 ? -Math.log2(frequencies[Math.floor(i / 3)]) : 0)),
    documents,
  };
  const scored = (extra: number, name: string) => ({ predictor: name, tokens, bits: Float64Array.from({ length }, (_, i) => tokens.trueBits![i] + (i % 3 === 2 ? extra : i % 3 === 0 ? 0.25 : 0)) });
  return { documents, tokens, scored: [scored(0.5, 'good'), scored(3, 'bad')], phase };
}

describe('acquisition sink', () => {
  it('summarises held-out documents per frequency bin and predictor, and training windows at checkpoints', async () => {
    const options = acquisitionSink.config.parse({ path: 'acq.json', arrow: true, binsPerDecade: 1, checkpoints: { start: 2, perDecade: 1 } });
    const sink = await acquisitionSink.create(options, context({ seed: 7 }));
    await sink.open?.({ predictors: ['good', 'bad'] });
    // 25 training documents: checkpoints 2, 20, then the end (25).
    const train = Array.from({ length: 25 }, (_, i) => (i % 2 ? 0.5 : 0.05));
    await sink.write(record(0, train.slice(0, 10), 'train'));
    await sink.write(record(10, train.slice(10), 'train'));
    await sink.write(record(25, [0.5, 0.5, 0.05, 0.003], 'test'));
    const files = await sink.close();
    expect(files.map((f: string) => f.slice(folder.length + 1))).toEqual(['acq.json', 'acq.arrow']);
    const rows = JSON.parse(readFileSync(join(folder, 'acq.json'), 'utf8')).rows as Record<string, number | string>[];

    const test = rows.filter((r) => r.phase === 'test' && r.scope === 'bin');
    expect(test.map((r) => `${r.predictor}:${r.frequency_bin}:${r.bin_documents}`)).toEqual(['good:0:2', 'bad:0:2', 'good:1:1', 'bad:1:1', 'good:2:1', 'bad:2:1']);
    for (const r of test) {
      expect(r.documents).toBe(25);
      expect(r.seed).toBe(7);
      expect(r.fraction_acquired).toBe(r.predictor === 'good' ? 1 : 0);
      expect(r.excess_knowledge_bits).toBeCloseTo(r.predictor === 'good' ? 0.5 : 3, 12);
      expect(r.excess_syntax_bits).toBeCloseTo(0.25, 12);
      expect(r.oracle_knowledge_bits).toBeCloseTo(-Math.log2(r.mean_frequency as number), 12);
    }
    const all = rows.filter((r) => r.phase === 'test' && r.scope === 'all');
    expect(all.map((r) => r.bin_documents)).toEqual([4, 4]);
    expect(all[0].knowledge_bits).toBeCloseTo((2 * 1 + -Math.log2(0.05) + -Math.log2(0.003)) / 4 + 0.5, 12);

    const windows = rows.filter((r) => r.phase === 'train' && r.scope === 'all' && r.predictor === 'good');
    expect(windows.map((r) => [r.documents, r.window_documents])).toEqual([[2, 2], [20, 18], [25, 5]]);
    const arrow = tableFromIPC(readFileSync(join(folder, 'acq.arrow')));
    expect(arrow.numRows).toBe(rows.length);
    expect(arrow.getChild('fraction_acquired')!.get(0)).toBe(rows[0].fraction_acquired);
  });

  it('counts only the last `window` training documents before each checkpoint', async () => {
    const options = acquisitionSink.config.parse({ path: 'window.json', binsPerDecade: 1, checkpoints: { start: 10, perDecade: 1, window: 3 } });
    const sink = await acquisitionSink.create(options, context());
    await sink.open?.({ predictors: ['good', 'bad'] });
    await sink.write(record(0, Array.from({ length: 30 }, () => 0.5), 'train'));
    await sink.close();
    const rows = JSON.parse(readFileSync(join(folder, 'window.json'), 'utf8')).rows as Record<string, number | string>[];
    expect(rows.filter((r) => r.scope === 'all' && r.predictor === 'good').map((r) => [r.documents, r.window_documents])).toEqual([[10, 3], [30, 3]]);
  });

  it('summarises injected individuals per group, with exposures counted from the start of their phase, and the fraction recalled', async () => {
    const options = acquisitionSink.config.parse({ path: 'injected.json', binsPerDecade: 1, checkpoints: { at: [10, 20, 30] } });
    const sink = await acquisitionSink.create(options, context());
    await sink.open?.({ predictors: ['good', 'bad'] });
    // 10 documents of phase 1, then 20 of phase 2 where every other one is about an injected individual of group 1 (f/K = 0.01) or 2 (0.001).
    const withPhases = (r: SinkRecord, phase: number, injected: number[]) => {
      r.documents.columns.phase = new Uint8Array(injected.length).fill(phase);
      r.documents.columns.injected = Int32Array.from(injected);
      return r;
    };
    await sink.write(withPhases(record(0, Array(10).fill(0.5), 'train'), 1, Array(10).fill(0)));
    const injected = Array.from({ length: 20 }, (_, i) => (i % 2 ? 0 : i % 4 ? 2 : 1));
    const frequencies = injected.map((g) => (g === 1 ? 0.01 : g === 2 ? 0.001 : 0.5));
    const second = withPhases(record(10, frequencies, 'train'), 2, injected);
    // "bad" knows nothing of the values only for group 2's individuals: its value bits there exceed the threshold.
    const bad = second.scored[1];
    for (let i = 0; i < bad.tokens.length; i++) if (i % 3 === 2) bad.bits[i] = injected[Math.floor(i / 3)] === 2 ? 3 : 0.5;
    await sink.write(second);
    await sink.close();
    const rows = JSON.parse(readFileSync(join(folder, 'injected.json'), 'utf8')).rows as Record<string, number | string>[];
    expect(rows.filter((r) => r.predictor === 'good' && r.scope !== 'all').map((r) => [r.documents, r.phase_documents, r.scope, r.frequency_bin ?? r.injected, r.bin_documents])).toEqual([
      [10, 10, 'bin', 0, 10],
      [20, 10, 'bin', 0, 5],
      [20, 10, 'injected', 1, 3],
      [20, 10, 'injected', 2, 2],
      [30, 20, 'bin', 0, 5],
      [30, 20, 'injected', 1, 2],
      [30, 20, 'injected', 2, 3],
    ]);
    const group = (documents: number, g: number, predictor: string) => rows.find((r) => r.documents === documents && r.injected === g && r.predictor === predictor)!;
    expect(group(30, 1, 'good').frequency).toBe(0.01);
    expect(group(30, 1, 'good').expected_exposures).toBeCloseTo(20 * 0.01, 12);
    expect(group(30, 2, 'good').expected_exposures).toBeCloseTo(20 * 0.001, 12);
    expect(group(30, 1, 'bad').fraction_recalled).toBe(1);
    expect(group(30, 2, 'bad').fraction_recalled).toBe(0);
    expect(group(30, 2, 'good').fraction_recalled).toBe(1);
    expect(rows.find((r) => r.documents === 30 && r.scope === 'all' && r.predictor === 'good')!.bin_documents).toBe(10);
  });
});
