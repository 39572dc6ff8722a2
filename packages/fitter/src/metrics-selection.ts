import { KolmoError, type MetricsTable } from '@kolmo/core';
import { z } from 'zod';

/**
 * Picking a fit's data out of the metrics table (one row per run and predictor; see core's metrics-rows.ts):
 * row filters, numeric columns, bootstrap groups and a per-row known entropy. Errors name the fitter, the
 * column and what the table offers, because a typo in a column name is the usual mistake.
 */
const cell = z.union([z.string(), z.number()]);

export const whereField = z
  .record(z.string(), z.union([cell, z.array(cell)]))
  .default({})
  .describe('keep only rows whose columns equal these values (a list means any of them), e.g. { predictor: bayes-optimal }');

export const fixEField = z
  .union([
    z.number(),
    z.string(),
    z.object({
      predictor: z.string().describe('the predictor whose row of the same run gives E (e.g. truth: the true code length)'),
      column: z.string().optional().describe('its column to read (default: the y column)'),
    }),
  ])
  .optional()
  .describe('a known E (entropy): a number, a column holding it per row, or { predictor } to take it from another predictor of the same run');

export const residualsField = z
  .enum(['absolute', 'relative', 'log'])
  .optional()
  .describe('least squares on y, on (y − ŷ)/y, or on log y − log ŷ; default: log when x spans ≥ 2 decades and y > 0, else absolute');

export const intervalField = z
  .enum(['studentized', 'percentile'])
  .optional()
  .describe('bootstrap interval: studentized (bootstrap-t) or percentile; default: studentized, but percentile for absolute residuals, the Chinchilla objective or fewer than 10 groups (their measured coverage)');

export type Where = z.output<typeof whereField>;
export type FixE = z.output<typeof fixEField>;

export function selectRows(table: MetricsTable, where: Where, fitter: string): MetricsTable {
  const conditions = Object.entries(where);
  const rows = table.filter((row) =>
    conditions.every(([column, wanted]) => (Array.isArray(wanted) ? wanted : [wanted]).some((value) => String(row[column]) === String(value))),
  );
  if (rows.length === 0) {
    const offered = conditions.map(([column]) => `${column} ∈ {${[...new Set(table.map((row) => String(row[column])))].join(', ')}}`);
    throw new KolmoError('input', `${fitter}: no rows of the metrics table (${table.length} rows) match where ${JSON.stringify(where)}; the table has ${offered.join('; ')}`);
  }
  return rows;
}

export function numericColumn(rows: MetricsTable, column: string, fitter: string): Float64Array {
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const value = rows[i][column];
    const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
    if (!Number.isFinite(number)) {
      const known = Object.keys(rows[i]).sort().join(', ');
      throw new KolmoError(
        'input',
        value === undefined
          ? `${fitter}: the metrics table has no column "${column}" (row ${i} has: ${known})`
          : `${fitter}: column "${column}" must hold finite numbers, row ${i} has ${JSON.stringify(value)}`,
      );
    }
    out[i] = number;
  }
  return out;
}

export function groupColumn(rows: MetricsTable, column: string, fitter: string): (string | number)[] {
  return rows.map((row, i) => {
    const value = row[column];
    if (value === undefined) throw new KolmoError('input', `${fitter}: the metrics table has no group column "${column}" (row ${i})`);
    return value;
  });
}

/** The known E per selected row, or undefined when E is free. */
export function fixedEntropy(fixE: FixE, table: MetricsTable, rows: MetricsTable, y: string, fitter: string): number | Float64Array | undefined {
  if (fixE === undefined || typeof fixE === 'number') return fixE;
  if (typeof fixE === 'string') return numericColumn(rows, fixE, fitter);
  const column = fixE.column ?? y;
  const byRun = new Map<string, Readonly<Record<string, number | string>>>();
  for (const row of table) if (String(row.predictor) === fixE.predictor) byRun.set(String(row.run), row);
  return numericColumn(
    rows.map((row, i) => {
      const reference = byRun.get(String(row.run));
      if (!reference) throw new KolmoError('input', `${fitter}: fixE takes E from predictor "${fixE.predictor}", but run "${row.run}" (row ${i}) has no such row`);
      return reference;
    }),
    column,
    fitter,
  );
}

/** Library range errors (bad data for the chosen fit) become input errors that name the fitter. */
export function asInputError(error: unknown, fitter: string): never {
  if (error instanceof RangeError) throw new KolmoError('input', `${fitter}: ${error.message}`, { cause: error });
  throw error;
}
