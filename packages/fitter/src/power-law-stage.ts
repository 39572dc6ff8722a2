import { defineStage, KolmoError, type Fitter, type MetricsTable } from '@kolmo/core';
import { z } from 'zod';
import { asInputError, fixEField, fixedEntropy, groupColumn, intervalField, numericColumn, residualsField, selectRows, whereField } from './metrics-selection.ts';
import { analyzePowerLaw } from './power-law-analysis.ts';

const config = z.object({
  x: z.string().default('documents').describe('column of the scaling variable (documents, tokens, a sweep variable such as capacity)'),
  y: z.string().default('bits_per_document').describe('column of the loss (bits_per_document, knowledge_bits_per_document, …)'),
  where: whereField,
  form: z.enum(['single', 'two-term']).default('single').describe('single: E + A x^−alpha; two-term: E + A x^−alpha + B x^−1 (knowledge plus syntax)'),
  fixE: fixEField,
  residuals: residualsField,
  exponentRange: z.tuple([z.number(), z.number()]).default([0.01, 4]).describe('search range of alpha [low, high]'),
  gridPoints: z.number().int().min(2).default(200).describe('grid points for alpha before the local refinement'),
  bootstrap: z.number().int().min(0).default(1000).describe('bootstrap resamples for the intervals (0: point estimate only)'),
  level: z.number().gt(0).lt(1).default(0.95).describe('coverage of the bootstrap intervals'),
  interval: intervalField,
  group: z.string().optional().describe('resample whole groups of rows sharing this column (e.g. seed) instead of single rows'),
  label: z.string().optional().describe('a name for this fit in fits.json'),
});

/** A saturating power law over the metrics table, with bootstrap intervals (theory §7). */
export const powerLawFitter = defineStage({
  kind: 'fitter',
  type: 'power-law',
  description: 'saturating power law y = E + A x^−alpha (optionally + B/x) by variable projection, with bootstrap intervals',
  config,
  create: (options, context): Fitter => {
    const name = `fit power-law ${options.label ?? `${options.y} vs ${options.x}`}`;
    const [low, high] = options.exponentRange;
    if (!(low >= 0 && low < high)) {
      throw new KolmoError('invalidSpec', `${name}: exponentRange [${low}, ${high}] must satisfy 0 ≤ low < high`);
    }
    return {
      fit: (table: MetricsTable) => {
        const rows = selectRows(table, options.where, name);
        const x = numericColumn(rows, options.x, name);
        const y = numericColumn(rows, options.y, name);
        const fixE = fixedEntropy(options.fixE, table, rows, options.y, name);
        const groups = options.group ? groupColumn(rows, options.group, name) : undefined;
        try {
          const result = analyzePowerLaw(x, y, {
            form: options.form,
            fixE,
            residuals: options.residuals,
            exponentRange: options.exponentRange,
            gridPoints: options.gridPoints,
            bootstrap: options.bootstrap > 0 ? { rng: context.rng('bootstrap'), resamples: options.bootstrap, level: options.level, groups, interval: options.interval } : false,
          });
          return { ...result, ...(options.label ? { label: options.label } : {}), x: options.x, y: options.y, where: options.where };
        } catch (error) {
          return asInputError(error, name);
        }
      },
    };
  },
});
