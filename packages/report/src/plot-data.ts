import { readFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { KolmoError, type MetricsTable } from '@kolmo/core';
import type { TableSource, Where } from './report-spec.ts';
import type { RunOutput } from './run-output.ts';

type Row = Readonly<Record<string, number | string>>;

/** What a plot builder needs besides its config: the run's outputs, its path for errors, and a place for notes. */
export interface PlotContext {
  readonly output: RunOutput;
  /** `report.plots[2]`: where the plot's fields are, for errors about one field. */
  readonly path: string;
  /** `report.plots[2] (scaling "loss")`: how errors name the plot. */
  readonly name: string;
  /** Remarks shown under the plot (points left out, rows averaged across settings, …). */
  readonly notes: string[];
}

/** The rows a plot reads: the metrics table, or a table file of the run folder (Arrow IPC or JSON rows). */
export function sourceRows(source: TableSource, context: PlotContext): MetricsTable {
  if (source === 'metrics') return context.output.rows;
  const file = resolve(context.output.folder, source.file);
  const format = source.format ?? (['.arrow', '.arrows', '.feather', '.ipc'].includes(extname(file).toLowerCase()) ? 'arrow' : 'json');
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new KolmoError('input', `${context.name}: cannot read the table ${source.file} (${(error as NodeJS.ErrnoException).code ?? error})`, { cause: error });
  }
  try {
    return format === 'arrow' ? arrowRows(bytes) : jsonRows(bytes.toString('utf8'));
  } catch (error) {
    if (error instanceof KolmoError) throw error;
    throw new KolmoError('input', `${context.name}: ${source.file} is not a readable ${format === 'arrow' ? 'Arrow IPC' : 'JSON'} table: ${(error as Error).message}`, { cause: error });
  }
}

function arrowRows(bytes: Uint8Array): MetricsTable {
  const table = tableFromIPC(bytes);
  const names = table.schema.fields.map((field) => field.name);
  const columns = names.map((name) => table.getChild(name)!);
  const rows: Record<string, number | string>[] = [];
  for (let i = 0; i < table.numRows; i++) {
    const row: Record<string, number | string> = {};
    names.forEach((name, c) => {
      const value: unknown = columns[c].get(i);
      if (value === null || value === undefined) return;
      row[name] = typeof value === 'number' ? value : typeof value === 'bigint' ? Number(value) : typeof value === 'boolean' ? String(value) : String(value);
    });
    rows.push(row);
  }
  return rows;
}

function jsonRows(text: string): MetricsTable {
  const value = JSON.parse(text) as unknown;
  const rows = Array.isArray(value) ? value : (value as { rows?: unknown })?.rows;
  if (!Array.isArray(rows)) throw new Error('expected an array of rows or { "rows": [ … ] }');
  return rows as MetricsTable;
}

/** The rows matching `where`; none is an error that says what the table offers. */
export function selectRows(rows: MetricsTable, where: Where, context: PlotContext): MetricsTable {
  const conditions = Object.entries(where);
  const kept = rows.filter((row) =>
    conditions.every(([column, wanted]) => (Array.isArray(wanted) ? wanted : [wanted]).some((value) => String(row[column]) === String(value))),
  );
  if (kept.length === 0) {
    const offered = conditions.map(([column]) => `${column} ∈ {${[...new Set(rows.map((row) => String(row[column])))].join(', ')}}`);
    throw new KolmoError(
      'input',
      rows.length === 0
        ? `${context.name}: the table has no rows`
        : `${context.name}: no rows (of ${rows.length}) match where ${JSON.stringify(where)}; the table has ${offered.join('; ')}`,
    );
  }
  return kept;
}

/** Checks that every row has the column, numeric if asked; the error lists the columns there are. */
export function requireColumn(rows: MetricsTable, column: string, context: PlotContext, numeric: boolean, role: string): void {
  rows.forEach((row, i) => {
    const value = row[column];
    if (value === undefined) {
      const known = [...new Set(rows.flatMap((r) => Object.keys(r)))].sort().join(', ');
      throw new KolmoError('input', `${context.name}: ${role} column "${column}" is not in the table (row ${i}); its columns: ${known}`);
    }
    if (numeric && !Number.isFinite(toNumber(value))) {
      throw new KolmoError('input', `${context.name}: ${role} column "${column}" must hold finite numbers, row ${i} has ${JSON.stringify(value)}`);
    }
  });
}

export function toNumber(value: number | string | undefined): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '') return Number(value);
  return NaN;
}

/** One plotted point: the mean of the rows sharing a group and x, with its standard error (0 for one row). */
export interface MeanPoint {
  readonly group: string;
  readonly x: number;
  readonly mean: number;
  readonly standardError: number;
  readonly n: number;
  /** The individual values averaged. */
  readonly values: readonly number[];
}

/**
 * Averages y over the rows sharing (group, x), e.g. over seeds: mean ± standard error (s/√n). Rows that
 * differ in a sweep variable other than `replicate` (and the plot's own columns) are averaged all the same,
 * with a note, since that usually means a missing `where`.
 */
export function meanPoints(
  rows: MetricsTable,
  key: { group: (row: Row) => string; x: (row: Row) => number; y: (row: Row) => number },
  replicate: string,
  plotColumns: readonly string[],
  context: PlotContext,
): MeanPoint[] {
  const cells = new Map<string, { group: string; x: number; rows: Row[] }>();
  for (const row of rows) {
    const group = key.group(row);
    const x = key.x(row);
    const id = `${group}\u0000${x}`;
    if (!cells.has(id)) cells.set(id, { group, x, rows: [] });
    cells.get(id)!.rows.push(row);
  }
  const varying = new Set<string>();
  const ignored = new Set([replicate, 'run', ...plotColumns]);
  const points: MeanPoint[] = [];
  for (const { group, x, rows: members } of cells.values()) {
    for (const variable of context.output.sweepVariables) {
      if (!ignored.has(variable) && new Set(members.map((row) => String(row[variable]))).size > 1) varying.add(variable);
    }
    const values = members.map(key.y);
    const n = values.length;
    const mean = values.reduce((sum, v) => sum + v, 0) / n;
    const variance = n > 1 ? values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (n - 1) : 0;
    points.push({ group, x, mean, standardError: Math.sqrt(variance / n), n, values });
  }
  if (varying.size) {
    context.notes.push(
      `points average rows that differ in ${[...varying].join(', ')} (not only in ${replicate}); add a where or a colour column to separate them`,
    );
  }
  return points.sort((a, b) => (a.group === b.group ? a.x - b.x : a.group < b.group ? -1 : 1));
}

/** The distinct values of a column in first-seen order, numbers sorted numerically when all are numeric. */
export function distinctValues(rows: MetricsTable, column: string): string[] {
  const values = [...new Set(rows.map((row) => String(row[column])))];
  return values.every((v) => Number.isFinite(Number(v))) ? values.sort((a, b) => Number(a) - Number(b)) : values;
}
