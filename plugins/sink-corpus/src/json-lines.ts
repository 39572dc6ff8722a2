import type { Column } from '@kolmo/core';

/**
 * Rows as JSON Lines, one object per row with the columns as keys in the given order. Numbers are written in
 * JavaScript's shortest round-trip form, so they read back exactly; NaN and ±Infinity become null (JSON has none).
 */
export function jsonLines(rowCount: number, columns: readonly (readonly [name: string, values: Column])[]): string {
  const keys = columns.map(([name], j) => `${j === 0 ? '{' : ','}${JSON.stringify(name)}:`);
  let out = '';
  for (let row = 0; row < rowCount; row++) {
    for (let j = 0; j < columns.length; j++) out += keys[j] + JSON.stringify(columns[j][1][row]);
    out += columns.length === 0 ? '{}\n' : '}\n';
  }
  return out;
}
