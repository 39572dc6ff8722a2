import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defineStage, KolmoError, type Fitter, type MetricsTable } from '@kolmo/core';
import { type ResidualScale, analyzeJointLaw, analyzePowerLaw, asInputError, fitSaturatingPowerLaw, fixEField, fixedEntropy, groupColumn, intervalField, numericColumn, residualsField, selectRows, whereField } from '@kolmo/fitter';
import { z } from 'zod';
import { writeAnalysisTable, type AnalysisRow } from './analysis-table.ts';

const config = z.object({
  table: z.string().min(1).default('learning-curve.json').describe('the analysis table each run wrote (JSON rows), relative to its run folder'),
  gather: z.boolean().default(true).describe('write the gathered rows of every run (with a `run` column) to the same name in the output folder, for the report'),
  x: z.string().default('documents').describe('column of the scaling variable'),
  y: z.string().default('expected_excess_knowledge_bits').describe('column of the loss'),
  where: whereField,
  range: z.tuple([z.number(), z.number()]).optional().describe('keep only rows with x in [low, high]'),
  form: z.enum(['single', 'two-term']).default('single').describe('single: E + A x^−alpha; two-term: E + A x^−alpha + B x^−1'),
  fixE: fixEField,
  residuals: residualsField,
  exponentRange: z.tuple([z.number(), z.number()]).default([0.01, 4]).describe('search range of alpha [low, high]'),
  gridPoints: z.number().int().min(2).default(200).describe('grid points for alpha before the local refinement'),
  bootstrap: z.number().int().min(0).default(1000).describe('bootstrap resamples for the intervals (0: point estimate only)'),
  level: z.number().gt(0).lt(1).default(0.95).describe('coverage of the bootstrap intervals'),
  interval: intervalField,
  group: z.string().default('run').describe('resample whole groups sharing this column (default: whole runs, i.e. whole curves on one source)'),
  perGroup: z.boolean().default(true).describe('also fit each group on its own: their exponents, mean and standard deviation (the seed spread)'),
  label: z.string().optional().describe('a name for this fit in fits.json'),
});

/**
 * The power-law fitter of @kolmo/fitter over an analysis table instead of the metrics table: the rows each run
 * wrote (e.g. the `learning-curve` sink's checkpoints), gathered from the run folders with a `run` column.
 * Resampling whole runs keeps the bootstrap honest when a run's points share one source. With `perGroup`,
 * each run is also fitted alone, so the spread of the exponent over seeds is in the result (`groups`).
 */
export const tablePowerLawFitter = defineStage({
  kind: 'fitter',
  type: 'table-power-law',
  description: 'saturating power law over an analysis table gathered from the run folders (e.g. learning curves), bootstrap over runs, per-run exponents',
  config,
  create: (options, context): Fitter => {
    const name = `fit table-power-law ${options.label ?? `${options.y} vs ${options.x} (${options.table})`}`;
    const [low, high] = options.exponentRange;
    if (!(low >= 0 && low < high)) throw new KolmoError('invalidSpec', `${name}: exponentRange [${low}, ${high}] must satisfy 0 ≤ low < high`);
    return {
      fit: async (metrics: MetricsTable) => {
        const table = gatherRuns(context.runDir, options.table, metrics, name);
        if (options.gather && !isSingleRun(context.runDir, metrics)) await writeAnalysisTable(join(context.runDir, options.table), table);
        let rows = selectRows(table, options.where, name);
        if (options.range) {
          const [from, to] = options.range;
          rows = rows.filter((row) => Number(row[options.x]) >= from && Number(row[options.x]) <= to);
          if (rows.length === 0) throw new KolmoError('input', `${name}: no rows with ${options.x} in [${from}, ${to}]`);
        }
        const x = numericColumn(rows, options.x, name);
        const y = numericColumn(rows, options.y, name);
        const fixE = fixedEntropy(options.fixE, table, rows, options.y, name);
        const groups = groupColumn(rows, options.group, name);
        const fitOptions = { form: options.form, fixE, residuals: options.residuals, exponentRange: options.exponentRange, gridPoints: options.gridPoints };
        try {
          const result = analyzePowerLaw(x, y, {
            ...fitOptions,
            bootstrap: options.bootstrap > 0 ? { rng: context.rng('bootstrap'), resamples: options.bootstrap, level: options.level, groups, interval: options.interval } : false,
          });
          // Each run on the residual scale of the pooled fit (the default picks it from the pooled x range).
          const perGroup = options.perGroup ? fitEachGroup(x, y, fixE, groups, { ...fitOptions, residuals: result.residuals as ResidualScale }) : undefined;
          return { ...result, ...(options.label ? { label: options.label } : {}), table: options.table, x: options.x, y: options.y, where: options.where, ...(perGroup ?? {}) };
        } catch (error) {
          return asInputError(error, name);
        }
      },
    };
  },
});

/** Each group fitted alone (point estimates): the exponent per group, their mean and sample standard deviation. */
function fitEachGroup(
  x: Float64Array,
  y: Float64Array,
  fixE: number | Float64Array | undefined,
  groups: readonly (string | number)[],
  options: Parameters<typeof fitSaturatingPowerLaw>[2],
): { groups: { group: string | number; alpha: number; A: number; n: number }[]; groupAlphaMean: number; groupAlphaSd: number } {
  const members = new Map<string | number, number[]>();
  groups.forEach((group, i) => (members.has(group) ? members.get(group)!.push(i) : members.set(group, [i])));
  const fits = [...members].flatMap(([group, indices]) => {
    if (indices.length < 3) return [];
    const pick = (values: Float64Array) => Float64Array.from(indices, (i) => values[i]);
    const fit = fitSaturatingPowerLaw(pick(x), pick(y), { ...options, fixE: fixE instanceof Float64Array ? pick(fixE) : fixE });
    return [{ group, alpha: fit.parameters.alpha, A: fit.parameters.A, n: indices.length }];
  });
  const mean = fits.reduce((s, f) => s + f.alpha, 0) / fits.length;
  const sd = fits.length > 1 ? Math.sqrt(fits.reduce((s, f) => s + (f.alpha - mean) ** 2, 0) / (fits.length - 1)) : NaN;
  return { groups: fits, groupAlphaMean: mean, groupAlphaSd: sd };
}

/** True when the output folder holds the one run itself (no sweep): its tables are already in place. */
function isSingleRun(outDir: string, metrics: MetricsTable): boolean {
  const runs = new Set(metrics.map((row) => String(row.run)));
  return runs.size === 1 && !existsSync(join(outDir, [...runs][0]));
}

/** The table's rows from every run of the metrics table, each with its `run` label (and the run's sweep point already in them). */
export function gatherRuns(outDir: string, table: string, metrics: MetricsTable, fitter: string): AnalysisRow[] {
  const runs = [...new Set(metrics.map((row) => String(row.run)))];
  const single = isSingleRun(outDir, metrics);
  const rows: AnalysisRow[] = [];
  for (const run of runs) {
    const file = resolve(single ? outDir : join(outDir, run), table);
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new KolmoError('input', `${fitter}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); does the pipeline have the sink that writes ${table}?`, { cause: error });
    }
    const list = Array.isArray(parsed) ? parsed : (parsed as { rows?: unknown }).rows;
    if (!Array.isArray(list)) throw new KolmoError('input', `${fitter}: ${file} holds no rows`);
    for (const row of list as AnalysisRow[]) rows.push({ ...row, run });
  }
  return rows;
}

const jointConfig = z.object({
  table: config.shape.table,
  gather: config.shape.gather,
  x: z.string().default('documents').describe('column of the first scaling variable N'),
  z: z.string().default('capacity_bits').describe('column of the second scaling variable (e.g. the capacity C)'),
  y: z.string().default('expected_excess_knowledge_bits').describe('column of the loss'),
  where: whereField,
  method: z.enum(['varpro', 'chinchilla']).default('varpro').describe("'varpro': least squares by variable projection; 'chinchilla': Hoffmann et al.'s Huber objective on log residuals (needs E > 0)"),
  fixE: fixEField,
  residuals: residualsField,
  alphaRange: z.tuple([z.number(), z.number()]).default([0.01, 4]).describe('search range of the exponent of x'),
  betaRange: z.tuple([z.number(), z.number()]).default([0.01, 4]).describe('search range of the exponent of z'),
  gridPoints: z.number().int().min(2).default(60).describe('varpro: grid points per exponent'),
  bootstrap: z.number().int().min(0).default(1000).describe('bootstrap resamples for the intervals (0: point estimate only)'),
  level: config.shape.level,
  interval: config.shape.interval,
  group: config.shape.group,
  label: config.shape.label,
});

/**
 * The joint law y = E + A x^−alpha + B z^−beta of @kolmo/fitter over an analysis table gathered from the run
 * folders — e.g. the learning curves of capacity-limited predictors: every (N, C) of a run on one source.
 */
export const tableJointLawFitter = defineStage({
  kind: 'fitter',
  type: 'table-joint-law',
  description: 'joint law y = E + A x^−alpha + B z^−beta over an analysis table gathered from the run folders (e.g. learning curves × capacities), bootstrap over runs',
  config: jointConfig,
  create: (options, context): Fitter => {
    const name = `fit table-joint-law ${options.label ?? `${options.y} vs ${options.x}, ${options.z} (${options.table})`}`;
    if (options.x === options.z) throw new KolmoError('invalidSpec', `${name}: x and z must be different columns, both are "${options.x}"`);
    return {
      fit: async (metrics: MetricsTable) => {
        const table = gatherRuns(context.runDir, options.table, metrics, name);
        if (options.gather && !isSingleRun(context.runDir, metrics)) await writeAnalysisTable(join(context.runDir, options.table), table);
        const rows = selectRows(table, options.where, name);
        const n = numericColumn(rows, options.x, name);
        const d = numericColumn(rows, options.z, name);
        const y = numericColumn(rows, options.y, name);
        const fixE = fixedEntropy(options.fixE, table, rows, options.y, name);
        const groups = groupColumn(rows, options.group, name);
        try {
          const result = analyzeJointLaw(n, d, y, {
            method: options.method,
            fixE,
            residuals: options.residuals,
            alphaRange: options.alphaRange,
            betaRange: options.betaRange,
            gridPoints: options.gridPoints,
            bootstrap: options.bootstrap > 0 ? { rng: context.rng('bootstrap'), resamples: options.bootstrap, level: options.level, groups, interval: options.interval } : false,
          });
          return { ...result, ...(options.label ? { label: options.label } : {}), table: options.table, x: options.x, z: options.z, y: options.y, where: options.where };
        } catch (error) {
          return asInputError(error, name);
        }
      },
    };
  },
});
