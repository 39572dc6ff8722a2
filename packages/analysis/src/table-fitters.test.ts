import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KolmoError, Rng, type StageContext } from '@kolmo/core';
import { structureFunctionFitter } from './structure-function-fitter.ts';
import { tableJointLawFitter, tablePowerLawFitter } from './table-fitters.ts';

const folder = mkdtempSync(join(tmpdir(), 'kolmo-table-fit-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function context(runDir: string): StageContext {
  return { runDir, specDir: runDir, point: {}, seed: 1, rng: (name) => new Rng(9).split(name), signal: new AbortController().signal, log: { info() {}, warn() {} }, create: () => Promise.reject(new Error('no')), upstream: {} };
}

/** Two runs of a sweep, each with its own learning curve y = A N^−a (a = 0.5 and 0.6), written where the sinks would. */
function sweepFolder(): string {
  const out = join(folder, 'sweep');
  for (const [run, a] of [['seed=1', 0.5], ['seed=2', 0.6]] as const) {
    mkdirSync(join(out, run), { recursive: true });
    const rows = [100, 300, 1000, 3000, 10000].map((documents) => ({ seed: run === 'seed=1' ? 1 : 2, documents, predictor: 'p', y: 7 * documents ** -a }));
    writeFileSync(join(out, run, 'curve.json'), JSON.stringify({ rows }));
  }
  return out;
}

describe('table-power-law', () => {
  it('fits the rows gathered from every run folder, each run on its own too, and writes the gathered table', async () => {
    const out = sweepFolder();
    const metrics = [{ run: 'seed=1', predictor: 'p' }, { run: 'seed=2', predictor: 'p' }, { run: 'seed=2', predictor: 'truth' }];
    const options = tablePowerLawFitter.config.parse({ table: 'curve.json', y: 'y', fixE: 0, bootstrap: 50, label: 'curve' });
    const result = (await (await tablePowerLawFitter.create(options, context(out))).fit(metrics)) as Record<string, any>;
    expect(result.label).toBe('curve');
    expect(result.n).toBe(10);
    expect(result.groups.map((g: { group: string; alpha: number }) => [g.group, Number(g.alpha.toFixed(6))])).toEqual([['seed=1', 0.5], ['seed=2', 0.6]]);
    expect(result.groupAlphaMean).toBeCloseTo(0.55, 6);
    expect(result.groupAlphaSd).toBeCloseTo(Math.SQRT1_2 * 0.1, 6);
    expect(result.parameters.alpha).toBeGreaterThan(0.5);
    expect(result.parameters.alpha).toBeLessThan(0.6);
    expect(result.bootstrap.over).toBe('groups');
    const gathered = JSON.parse(readFileSync(join(out, 'curve.json'), 'utf8')).rows;
    expect(gathered.length).toBe(10);
    expect(new Set(gathered.map((r: { run: string }) => r.run))).toEqual(new Set(['seed=1', 'seed=2']));
  });

  it('says which file is missing and which sink writes it', async () => {
    const options = tablePowerLawFitter.config.parse({ table: 'nothing.json', y: 'y' });
    const fitter = await tablePowerLawFitter.create(options, context(join(folder, 'sweep')));
    await expect(Promise.resolve().then(() => fitter.fit([{ run: 'seed=1' }]))).rejects.toThrow(KolmoError);
    await expect(Promise.resolve().then(() => fitter.fit([{ run: 'seed=1' }]))).rejects.toThrow(/nothing\.json.*sink that writes/);
  });
});

describe('table-joint-law', () => {
  it('recovers both exponents of y = A N^−a + B C^−b from a single run\'s table', async () => {
    const out = join(folder, 'joint');
    mkdirSync(out, { recursive: true });
    const rows = [];
    for (const documents of [1e3, 3e3, 1e4, 3e4, 1e5]) for (const capacity of [1e3, 3e3, 1e4, 3e4]) rows.push({ documents, capacity_bits: capacity, y: 90 * documents ** -0.5 + 3e4 * capacity ** -1.1 });
    writeFileSync(join(out, 'learning-curve.json'), JSON.stringify({ rows }));
    const options = tableJointLawFitter.config.parse({ y: 'y', fixE: 0, bootstrap: 0, group: 'documents' });
    const result = (await (await tableJointLawFitter.create(options, context(out))).fit([{ run: 'run', predictor: 'x' }])) as Record<string, any>;
    expect(result.parameters.alpha).toBeCloseTo(0.5, 3);
    expect(result.parameters.beta).toBeCloseTo(1.1, 3);
  });
});

describe('structure-function', () => {
  it('finds the two-part minimum of each run and compares it with the prequential code', async () => {
    const row = (run: string, capacity: number, model: number, data: number) => ({ run, predictor: `C=${capacity}`, capacity_bits: capacity, model_bits: model, data_bits: data, stored_elements: capacity / 10 });
    const metrics = [
      row('a', 100, 90, 1000), row('a', 300, 280, 700), row('a', 1000, 950, 600),
      row('b', 100, 95, 800), row('b', 300, 290, 780), row('b', 1000, 990, 100),
      { run: 'a', predictor: 'bayes-optimal', bits: 960 }, { run: 'b', predictor: 'bayes-optimal', bits: 890 },
    ];
    const options = structureFunctionFitter.config.parse({ where: { predictor: ['C=100', 'C=300', 'C=1000'] }, prequential: {} });
    const result = (await (await structureFunctionFitter.create(options, context(folder))).fit(metrics)) as Record<string, any>;
    expect(result.runs).toEqual([
      { group: 'a', capacities: 3, mdlCapacity: 300, mdlModelBits: 280, mdlDataBits: 700, mdlTwoPartBits: 980, mdlStoredElements: 30, prequentialBits: 960, twoPartMinusPrequential: 20 },
      { group: 'b', capacities: 3, mdlCapacity: 100, mdlModelBits: 95, mdlDataBits: 800, mdlTwoPartBits: 895, mdlStoredElements: 10, prequentialBits: 890, twoPartMinusPrequential: 5 },
    ]);
    expect(result.parameters.mdlTwoPartBits).toBe((980 + 895) / 2);
    expect(result.warnings).toEqual(['run b: the two-part minimum is at the smallest capacity (100); widen the capacity grid']);
  });
});
