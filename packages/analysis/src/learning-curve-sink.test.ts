import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Rng, type Predictor, type SinkRecord, type StageContext } from '@kolmo/core';
import { learningCurveSink } from './learning-curve-sink.ts';

const folder = mkdtempSync(join(tmpdir(), 'kolmo-learning-curve-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('learning-curve sink', () => {
  it("records each predictor's statistics at the end of the first batch reaching each checkpoint, and at the end", async () => {
    let learned = 0;
    const counting: Predictor = { score: () => new Float64Array(0), statistics: () => ({ learned, p_new: 1 / (learned + 1), label: 3 }) };
    const silent: Predictor = { score: () => new Float64Array(0) };
    const context: StageContext = {
      runDir: folder,
      specDir: folder,
      point: { alpha: 0.5 },
      seed: 1,
      rng: (name) => new Rng(1).split(name),
      signal: new AbortController().signal,
      log: { info() {}, warn() {} },
      create: () => Promise.reject(new Error('no')),
      upstream: { generator: { batches: () => [][Symbol.iterator](), expectedDocuments: 95 }, predictors: new Map([['counting', counting], ['silent', silent]]) },
    };
    const sink = await learningCurveSink.create(learningCurveSink.config.parse({ start: 10, perDecade: 2, statistics: ['learned', 'p_new'] }), context);
    await sink.open?.({ predictors: ['counting', 'silent'] });
    const batch = (size: number, phase: 'train' | 'test' = 'train') => {
      learned += phase === 'train' ? size : 0;
      return { documents: { first: 0, text: new Array(size).fill(''), columns: {} }, phase } as unknown as SinkRecord;
    };
    for (const size of [8, 8, 8, 8, 30, 30, 3]) await sink.write(batch(size));
    await sink.write(batch(50, 'test'));
    await sink.close();
    const rows = JSON.parse(readFileSync(join(folder, 'learning-curve.json'), 'utf8')).rows;
    // Grid 10, 32, 95 (capped at the run's length); batches end at 8, 16, 24, 32, 62, 92, 95.
    expect(rows).toEqual([
      { alpha: 0.5, documents: 16, predictor: 'counting', learned: 16, p_new: 1 / 17 },
      { alpha: 0.5, documents: 32, predictor: 'counting', learned: 32, p_new: 1 / 33 },
      { alpha: 0.5, documents: 95, predictor: 'counting', learned: 95, p_new: 1 / 96 },
    ]);
  });
});
