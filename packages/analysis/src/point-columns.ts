/** The sweep point as columns (so tables from several runs can be joined and averaged over seeds). */
export function pointColumns(point: Readonly<Record<string, unknown>>): Record<string, number | string> {
  const columns: Record<string, number | string> = {};
  for (const [name, value] of Object.entries(point)) columns[name] = typeof value === 'number' ? value : String(value);
  return columns;
}
