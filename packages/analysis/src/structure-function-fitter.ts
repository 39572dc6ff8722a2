import { defineStage, KolmoError, type Fitter, type FitResult, type MetricsTable } from '@kolmo/core';
import { numericColumn, selectRows, whereField } from '@kolmo/fitter';
import { z } from 'zod';

const config = z.object({
  where: whereField.describe('the rows of the capacity-limited predictors (one per capacity), e.g. { predictor: [C=1000, C=3162, …], alpha: 0.5 }'),
  x: z.string().default('capacity_bits').describe('the capacity column C'),
  modelBits: z.string().default('model_bits').describe('bits of the stored model (≤ C)'),
  dataBits: z.string().default('data_bits').describe('L_C(X): the training data coded with the stored model'),
  prequential: z
    .object({
      predictor: z.string().default('bayes-optimal').describe('the predictor whose prequential code of the same run is compared (theory §6)'),
      column: z.string().default('bits').describe('its column: the prequential code length of the training documents'),
    })
    .optional()
    .describe('compare the MDL two-part code with the prequential (Bayes-mixture) code of the same data'),
  group: z.string().default('run').describe('one structure function per value of this column (one dataset each)'),
  label: z.string().optional().describe('a name for this result in fits.json'),
});

/**
 * The empirical Kolmogorov structure function (theory §6), one per dataset (run): over the capacities C of the
 * selected rows, data bits L_C(X), the two-part total model bits + L_C(X), and its minimum — the MDL model —
 * with its capacity, stored elements and bits; beside it the prequential code of the same data, which needs
 * no transmitted model. `parameters` are means over the runs; `runs` has each one; a minimum on the largest
 * or smallest capacity is warned about (widen the grid).
 */
export const structureFunctionFitter = defineStage({
  kind: 'fitter',
  type: 'structure-function',
  description: 'the empirical structure function per run: two-part code C + L_C(X) over capacities, its MDL minimum, and the prequential code beside it (theory §6)',
  config,
  create: (options): Fitter => {
    const name = `fit structure-function ${options.label ?? JSON.stringify(options.where)}`;
    return {
      fit: (table: MetricsTable): FitResult => {
        const rows = selectRows(table, options.where, name);
        const capacity = numericColumn(rows, options.x, name);
        const model = numericColumn(rows, options.modelBits, name);
        const data = numericColumn(rows, options.dataBits, name);
        const stored = rows.map((row) => (typeof row.stored_elements === 'number' ? row.stored_elements : NaN));
        const byGroup = new Map<string, number[]>();
        rows.forEach((row, i) => {
          const key = String(row[options.group]);
          if (row[options.group] === undefined) throw new KolmoError('input', `${name}: the metrics table has no group column "${options.group}"`);
          byGroup.set(key, [...(byGroup.get(key) ?? []), i]);
        });
        const warnings: string[] = [];
        const runs = [...byGroup].map(([group, indices]) => {
          const ordered = [...indices].sort((a, b) => capacity[a] - capacity[b]);
          let best = ordered[0];
          for (const i of ordered) if (model[i] + data[i] < model[best] + data[best]) best = i;
          const edge = best === ordered[0] ? 'smallest' : best === ordered[ordered.length - 1] ? 'largest' : undefined;
          if (edge) warnings.push(`${options.group} ${group}: the two-part minimum is at the ${edge} capacity (${capacity[best]}); widen the capacity grid`);
          const result: Record<string, number | string> = {
            group,
            capacities: ordered.length,
            mdlCapacity: capacity[best],
            mdlModelBits: model[best],
            mdlDataBits: data[best],
            mdlTwoPartBits: model[best] + data[best],
            mdlStoredElements: stored[best],
          };
          if (options.prequential) {
            const reference = table.find((row) => String(row[options.group]) === group && String(row.predictor) === options.prequential!.predictor);
            const value = reference?.[options.prequential.column];
            if (typeof value !== 'number') {
              throw new KolmoError('input', `${name}: ${options.group} ${group} has no row of predictor "${options.prequential.predictor}" with a numeric "${options.prequential.column}"`);
            }
            result.prequentialBits = value;
            result.twoPartMinusPrequential = model[best] + data[best] - value;
          }
          return result;
        });
        const mean = (key: string) => runs.reduce((s, r) => s + Number(r[key]), 0) / runs.length;
        const keys = ['mdlCapacity', 'mdlModelBits', 'mdlDataBits', 'mdlTwoPartBits', 'mdlStoredElements', ...(options.prequential ? ['prequentialBits', 'twoPartMinusPrequential'] : [])];
        return {
          kind: 'structure-function',
          ...(options.label ? { label: options.label } : {}),
          parameters: Object.fromEntries(keys.map((key) => [key, mean(key)])),
          warnings,
          runs,
          where: options.where,
        };
      },
    };
  },
});
