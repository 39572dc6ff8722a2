import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng, type FitResult } from '@kolmo/core';

type Row = Record<string, number | string>;

/**
 * Writes an output folder as `kolmo run` leaves it (core's run-spec.ts): metrics-table.json with { rows },
 * fits.json, and per run a folder named by its label with manifest.json and metrics.json.
 */
export function writeRunOutput(folder: string, rows: Row[], fits: FitResult[] = [], specFile = '/specs/synthetic.yaml'): void {
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'metrics-table.json'), `${JSON.stringify({ rows }, null, 2)}\n`);
  if (fits.length) writeFileSync(join(folder, 'fits.json'), `${JSON.stringify(fits, null, 2)}\n`);
  const runs = new Map<string, Row>();
  for (const row of rows) if (!runs.has(String(row.run))) runs.set(String(row.run), row);
  for (const [label, row] of runs) {
    const point = Object.fromEntries(label.split(',').map((pair) => pair.split('=')).map(([key]) => [key, row[key]]));
    mkdirSync(join(folder, label), { recursive: true });
    const manifest = { kolmo: 1, spec: { file: specFile, name: 'synthetic', seed: 0, point }, seed: 7, started: '2025-01-02T03:04:05.000Z', seconds: { build: 0.1, stream: 0.4 }, outputs: [] };
    writeFileSync(join(folder, label, 'manifest.json'), JSON.stringify(manifest));
    writeFileSync(join(folder, label, 'metrics.json'), JSON.stringify({ label, point }));
  }
}

export const dataSweep = { documents: [100, 316, 1000, 3162, 10000, 31623, 100000], seeds: [1, 2, 3], entropy: 60, A: 40, alpha: 0.45 };

/**
 * A data sweep (documents × seed) with the rows the runner writes per run: bayes-optimal, ngram and truth.
 * Losses follow H + A N^−alpha (bayes) and H + 2A N^−alpha/2 (ngram) with a little seeded noise.
 */
export function dataSweepRows(seed = 3): Row[] {
  const rng = new Rng(seed);
  const rows: Row[] = [];
  const { documents, seeds, entropy, A, alpha } = dataSweep;
  for (const n of documents) {
    for (const s of seeds) {
      const run = `documents=${n},seed=${s}`;
      const noise = () => Math.exp(0.05 * (rng.nextFloat() - 0.5));
      const truth = entropy + 0.01 * (rng.nextFloat() - 0.5);
      const base = { run, documents: n, seed: s, tokens: n * 30, bytes: n * 150 };
      rows.push({ ...base, predictor: 'bayes-optimal', bits_per_document: truth + A * n ** -alpha * noise(), knowledge_bits_per_document: 20 + A * n ** -alpha * noise() });
      rows.push({ ...base, predictor: 'ngram', bits_per_document: truth + 2 * A * n ** (-alpha / 2) * noise(), knowledge_bits_per_document: 20 + 2 * A * n ** (-alpha / 2) * noise() });
      rows.push({ ...base, predictor: 'truth', bits_per_document: truth, knowledge_bits_per_document: 20 });
    }
  }
  return rows;
}

/** A power-law fit result as the fitter writes it (fits.json), with bootstrap intervals and optionally resamples. */
export function powerLawFit(options: { label: string; E: number; A: number; alpha: number; intervals?: Record<string, [number, number]>; samples?: Record<string, number[]>; where?: Record<string, unknown> }): FitResult {
  return {
    kind: 'power-law',
    form: 'single',
    parameters: { E: options.E, A: options.A, alpha: options.alpha },
    ...(options.intervals ? { intervals: options.intervals } : {}),
    ...(options.samples ? { samples: options.samples } : {}),
    warnings: ['bootstrap over only 3 groups: percentile intervals are rough below about 10 groups'],
    goodness: { n: 21, rSquared: 0.998, rmse: 0.1, rmseLog: 0.002 },
    n: 21,
    bootstrap: { resamples: 1000, failures: 0, level: 0.95, over: 'groups', groups: 3 },
    label: options.label,
    x: 'documents',
    y: 'bits_per_document',
    where: options.where ?? { predictor: 'bayes-optimal' },
  };
}

export const capacitySweep = { capacities: [1000, 3000, 10000, 30000, 100000, 300000], seeds: [1, 2], minimumAt: 30000 };

/**
 * A capacity sweep: data bits L_C(X) = 2e5 + 1e9 / C (falling), plus C: the two-part total C + L is least at
 * C = √1e9 ≈ 31623, so among the grid at 30000. A bayes-optimal row per run gives the prequential code.
 */
export function capacitySweepRows(): Row[] {
  const rows: Row[] = [];
  for (const capacity of capacitySweep.capacities) {
    for (const seed of capacitySweep.seeds) {
      const run = `capacity=${capacity},seed=${seed}`;
      const wobble = seed === 1 ? 1 : -1;
      rows.push({ run, capacity, seed, predictor: 'capacity-limited', bits: 2e5 + 1e9 / capacity + 100 * wobble });
      rows.push({ run, capacity, seed, predictor: 'bayes-optimal', bits: 2.1e5 + 50 * wobble });
    }
  }
  return rows;
}
