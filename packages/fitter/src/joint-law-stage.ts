import { defineStage, KolmoError, type Fitter, type MetricsTable } from '@kolmo/core';
import { z } from 'zod';
import { analyzeJointLaw } from './joint-law-analysis.ts';
import { asInputError, fixEField, fixedEntropy, groupColumn, intervalField, numericColumn, residualsField, selectRows, whereField } from './metrics-selection.ts';

const range = (what: string) => z.tuple([z.number(), z.number()]).default([0.01, 4]).describe(`search range of ${what} [low, high] (varpro)`);

const config = z.object({
  x: z.string().default('documents').describe('column of the first scaling variable N (e.g. documents)'),
  z: z.string().describe('column of the second scaling variable (e.g. a capacity or model-size sweep variable)'),
  y: z.string().default('bits_per_document').describe('column of the loss'),
  where: whereField,
  method: z.enum(['varpro', 'chinchilla']).default('varpro').describe("'varpro': least squares by variable projection; 'chinchilla': Hoffmann et al.'s Huber objective on log residuals"),
  fixE: fixEField,
  residuals: residualsField,
  alphaRange: range('alpha'),
  betaRange: range('beta'),
  gridPoints: z.number().int().min(2).default(60).describe('varpro: grid points per exponent'),
  huberDelta: z.number().positive().default(1e-3).describe('chinchilla: Huber threshold on log residuals'),
  refine: z.number().int().min(1).default(20).describe('chinchilla: L-BFGS runs from this many of the best grid starts'),
  bootstrap: z.number().int().min(0).default(1000).describe('bootstrap resamples for the intervals (0: point estimate only)'),
  level: z.number().gt(0).lt(1).default(0.95).describe('coverage of the bootstrap intervals'),
  interval: intervalField,
  group: z.string().optional().describe('resample whole groups of rows sharing this column (e.g. seed) instead of single rows'),
  label: z.string().optional().describe('a name for this fit in fits.json'),
});

/** The joint law y = E + A x^−alpha + B z^−beta over the metrics table, with bootstrap intervals (theory §4, §7). */
export const jointLawFitter = defineStage({
  kind: 'fitter',
  type: 'joint-law',
  description: 'joint scaling law y = E + A x^−alpha + B z^−beta (variable projection or the Chinchilla objective), with bootstrap intervals',
  config,
  create: (options, context): Fitter => {
    const name = `fit joint-law ${options.label ?? `${options.y} vs ${options.x}, ${options.z}`}`;
    for (const key of ['alphaRange', 'betaRange'] as const) {
      const [low, high] = options[key];
      if (!(low >= 0 && low < high)) throw new KolmoError('invalidSpec', `${name}: ${key} [${low}, ${high}] must satisfy 0 ≤ low < high`);
    }
    if (options.x === options.z) throw new KolmoError('invalidSpec', `${name}: x and z must be different columns, both are "${options.x}"`);
    return {
      fit: (table: MetricsTable) => {
        const rows = selectRows(table, options.where, name);
        const n = numericColumn(rows, options.x, name);
        const d = numericColumn(rows, options.z, name);
        const y = numericColumn(rows, options.y, name);
        const fixE = fixedEntropy(options.fixE, table, rows, options.y, name);
        const groups = options.group ? groupColumn(rows, options.group, name) : undefined;
        try {
          const result = analyzeJointLaw(n, d, y, {
            method: options.method,
            fixE,
            residuals: options.residuals,
            alphaRange: options.alphaRange,
            betaRange: options.betaRange,
            gridPoints: options.gridPoints,
            huberDelta: options.huberDelta,
            refine: options.refine,
            bootstrap: options.bootstrap > 0 ? { rng: context.rng('bootstrap'), resamples: options.bootstrap, level: options.level, groups, interval: options.interval } : false,
          });
          return { ...result, ...(options.label ? { label: options.label } : {}), x: options.x, z: options.z, y: options.y, where: options.where };
        } catch (error) {
          return asInputError(error, name);
        }
      },
    };
  },
});
