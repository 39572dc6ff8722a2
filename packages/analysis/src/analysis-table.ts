import { join, dirname, basename, extname, resolve } from 'node:path';
import { mkdir } from 'node:fs/promises';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { writeFileAtomic } from '@kolmo/core';

export type AnalysisRow = Readonly<Record<string, number | string>>;

/**
 * Writes an analysis table into the run folder, atomically: JSON `{ "rows": [...] }` (what the report's
 * lines and heatmap plots read), and with `arrow` an Arrow IPC file copy beside it (`<name>.arrow`).
 * Returns the files written, for the run manifest.
 */
export async function writeAnalysisTable(path: string, rows: readonly AnalysisRow[], options: { arrow?: boolean } = {}): Promise<string[]> {
  await mkdir(dirname(path), { recursive: true });
  const written = [await writeFileAtomic(path, `${JSON.stringify({ rows }, null, 1)}\n`)];
  if (options.arrow) written.push(await writeFileAtomic(arrowPathOf(path), tableToIPC(arrowTable(rows), 'file')));
  return written;
}

/** `acquisition.json` → `acquisition.arrow` in the same folder. */
export function arrowPathOf(path: string): string {
  const resolved = resolve(path);
  return join(dirname(resolved), `${basename(resolved, extname(resolved))}.arrow`);
}

/** Columns in order of first appearance; a column is Float64 if every present value is a number, else strings (missing: null). */
function arrowTable(rows: readonly AnalysisRow[]) {
  const names: string[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    for (const name of Object.keys(row)) {
      if (seen.has(name)) continue;
      seen.add(name);
      names.push(name);
    }
  }
  const columns: Record<string, Float64Array | (string | null)[]> = {};
  for (const name of names) {
    const numeric = rows.every((row) => row[name] === undefined || typeof row[name] === 'number');
    columns[name] = numeric
      ? Float64Array.from(rows, (row) => (row[name] === undefined ? NaN : (row[name] as number)))
      : rows.map((row) => (row[name] === undefined ? null : String(row[name])));
  }
  return tableFromArrays(columns as Record<string, Float64Array | string[]>);
}
