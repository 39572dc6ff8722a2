import { KolmoError, Rng, RunContext, StageRegistry, validateComponent, type FitResult, type Fitter, type MetricsTable } from '@kolmo/core';
import { describe, expect, it } from 'vitest';
import { jointLawFitter } from './joint-law-stage.ts';
import { powerLawFitter } from './power-law-stage.ts';
import { chinchillaLikeData, logSpaced } from './testing/synthetic-scaling-data.ts';

const registry = new StageRegistry();
registry.add(powerLawFitter, '@kolmo/fitter');
registry.add(jointLawFitter, '@kolmo/fitter');

async function build(config: Record<string, unknown>, seed = 42): Promise<Fitter> {
  const context = new RunContext({
    registry,
    runDir: '.',
    specDir: '.',
    point: {},
    seed,
    signal: new AbortController().signal,
    log: { info: () => undefined, warn: () => undefined },
  });
  const component = validateComponent(undefined, registry, 'fitter', config, ['fit', 0]);
  return context.build({ ...component, kind: 'fitter' });
}

/** A metrics table as the runner writes it: per run, a bayes-optimal row and a truth row, over 3 seeds. */
function metricsTable(): MetricsTable {
  const rng = new Rng(8);
  const rows: Record<string, number | string>[] = [];
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    for (const documents of logSpaced(2, 5, 7).map(Math.round)) {
      const run = `documents=${documents},seed=${seed}`;
      const entropy = 60 * (1 + 0.001 * Math.sin(seed * documents)); // each run's own true code length
      const loss = entropy + 25 * documents ** -0.45 * Math.exp(0.01 * (rng.nextFloat() - 0.5));
      rows.push({ run, documents, seed, predictor: 'bayes-optimal', bits_per_document: loss, knowledge_bits_per_document: loss - 10 });
      rows.push({ run, documents, seed, predictor: 'truth', bits_per_document: entropy, knowledge_bits_per_document: entropy - 10 });
    }
  }
  return rows;
}

describe('power-law fitter stage', () => {
  it('fits a filtered table with E taken from the truth rows and bootstraps over seeds', async () => {
    const fitter = await build({
      type: 'power-law',
      x: 'documents',
      y: 'bits_per_document',
      where: { predictor: 'bayes-optimal' },
      fixE: { predictor: 'truth' },
      bootstrap: 200,
      group: 'seed',
      label: 'data law',
    });
    const result = (await fitter.fit(metricsTable())) as FitResult & Record<string, any>;
    expect(result.kind).toBe('power-law');
    expect(result.label).toBe('data law');
    expect(result.n).toBe(42);
    expect(result.bootstrap).toMatchObject({ over: 'groups', groups: 6, resamples: 200 });
    // Noise is uniform ±0.5% on the excess: alpha is pinned far tighter than these bounds.
    expect(result.parameters.alpha).toBeCloseTo(0.45, 2);
    expect(result.parameters.A).toBeCloseTo(25, 0);
    expect(result.intervals!.E).toBeUndefined();
    expect(result.intervals!.alpha[0]).toBeLessThan(result.parameters.alpha);
    expect(result.intervals!.alpha[1]).toBeGreaterThan(result.parameters.alpha);
    expect(result.warnings.some((w: string) => w.includes('only 6 groups'))).toBe(true);
    expect(JSON.parse(JSON.stringify(result)).parameters.alpha).toBe(result.parameters.alpha);
  });

  it('is reproducible from the spec seed', async () => {
    const config = { type: 'power-law', where: { predictor: 'bayes-optimal' }, bootstrap: 30 };
    const a = await (await build(config, 1)).fit(metricsTable());
    const b = await (await build(config, 1)).fit(metricsTable());
    expect(a).toEqual(b);
  });

  it('names the problem when a column or a filter matches nothing', async () => {
    const fitter = await build({ type: 'power-law', y: 'knowledge_bits', where: { predictor: 'bayes-optimal' }, bootstrap: 0 });
    expect(() => fitter.fit(metricsTable())).toThrow(/no column "knowledge_bits"/);
    const none = await build({ type: 'power-law', where: { predictor: 'oracle' }, bootstrap: 0 });
    expect(() => none.fit(metricsTable())).toThrow(/predictor ∈ \{bayes-optimal, truth\}/);
    try {
      none.fit(metricsTable());
    } catch (error) {
      expect((error as KolmoError).kind).toBe('input');
    }
  });

  it('rejects a bad config before any work', async () => {
    await expect(build({ type: 'power-law', exponentRange: [2, 1] })).rejects.toThrow(/exponentRange/);
    await expect(build({ type: 'power-law', form: 'three-term' })).rejects.toThrow(KolmoError);
  });
});

describe('joint-law fitter stage', () => {
  it('fits x and z columns by variable projection and by the Chinchilla objective', async () => {
    const { truth, n, d, y } = chinchillaLikeData(new Rng(3), 0.002);
    const table: MetricsTable = n.map((params, i) => ({ run: `r${i}`, predictor: 'llm', params, tokens: d[i], loss: y[i] }));
    for (const method of ['varpro', 'chinchilla']) {
      const fitter = await build({ type: 'joint-law', x: 'params', z: 'tokens', y: 'loss', method, bootstrap: 0 });
      const result = (await fitter.fit(table)) as FitResult & Record<string, any>;
      expect(result.method).toBe(method);
      // σ = 0.2%: the exponents land within a few hundredths.
      expect(result.parameters.alpha).toBeCloseTo(truth.alpha, 1);
      expect(result.parameters.beta).toBeCloseTo(truth.beta, 1);
      expect(result.parameters.E).toBeCloseTo(truth.E, 1);
      expect(result.goodness.rSquared).toBeGreaterThan(0.999);
    }
  });

  it('rejects x = z', async () => {
    await expect(build({ type: 'joint-law', x: 'documents', z: 'documents' })).rejects.toThrow(/different columns/);
  });
});
