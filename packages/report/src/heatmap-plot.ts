import { columnLabel, formatNumber } from './axis-format.ts';
import { distinctValues, requireColumn, selectRows, sourceRows, toNumber, type PlotContext } from './plot-data.ts';
import type { HeatmapPlot } from './report-spec.ts';

const combine = {
  mean: (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length,
  sum: (values: number[]) => values.reduce((a, b) => a + b, 0),
  min: (values: number[]) => Math.min(...values),
  max: (values: number[]) => Math.max(...values),
};

/**
 * A heatmap (theory §5): one cell per (row value, column value), e.g. fraction acquired per frequency bin
 * (rows) and training size N or step (columns); rows sharing a cell combine by `aggregate`.
 */
export function heatmapPlotSpec(plot: HeatmapPlot, context: PlotContext): Record<string, unknown> {
  const rows = selectRows(sourceRows(plot.source, context), plot.where, context);
  requireColumn(rows, plot.x, context, false, 'x');
  requireColumn(rows, plot.y, context, false, 'y');
  requireColumn(rows, plot.value, context, true, 'value');
  const cells = new Map<string, { x: string; y: string; values: number[] }>();
  for (const row of rows) {
    const x = String(row[plot.x]);
    const y = String(row[plot.y]);
    const key = `${x}\u0000${y}`;
    if (!cells.has(key)) cells.set(key, { x, y, values: [] });
    cells.get(key)!.values.push(toNumber(row[plot.value]));
  }
  const precise = (v: number) => formatNumber(v, 12);
  const values = [...cells.values()].map(({ x, y, values: members }) => {
    const value = combine[plot.aggregate](members);
    return { x, y, value, n: members.length, text: formatNumber(value, 2), description: `${plot.x}=${x}; ${plot.y}=${y}; ${plot.value}=${precise(value)}; n=${members.length}` };
  });
  const xOrder = distinctValues(rows, plot.x);
  const yOrder = distinctValues(rows, plot.y);
  const label = (order: string[]) => (order.every((v) => Number.isFinite(Number(v))) ? "kolmoNumber(datum.value)" : 'datum.value');
  const colorScale: Record<string, unknown> = { scheme: plot.scheme, ...(plot.domain ? { domain: plot.domain } : {}) };
  const layers: Record<string, unknown>[] = [
    {
      name: 'cells',
      mark: { type: 'rect', stroke: 'white', strokeWidth: 0.5 },
      encoding: {
        color: { field: 'value', type: 'quantitative', scale: colorScale, legend: { title: plot.valueLabel ?? columnLabel(plot.value), gradientLength: Math.min(plot.height, 240) } },
        description: { field: 'description' },
      },
    },
  ];
  if (plot.labels) {
    layers.push({
      name: 'labels',
      mark: { type: 'text', fontSize: 10 },
      encoding: {
        text: { field: 'text' },
        color: { condition: { test: `datum.value > ${midpoint(values.map((v) => v.value), plot.domain)}`, value: 'black' }, value: 'white' },
      },
    });
  }
  return {
    title: { text: plot.title ?? `${columnLabel(plot.value)} by ${columnLabel(plot.y)} and ${columnLabel(plot.x)}` },
    width: plot.width,
    height: plot.height,
    data: { values },
    encoding: {
      x: { field: 'x', type: 'ordinal', sort: xOrder, axis: { title: plot.xLabel ?? columnLabel(plot.x), labelExpr: label(xOrder), labelAngle: xOrder.length > 8 ? -45 : 0 } },
      y: { field: 'y', type: 'ordinal', sort: plot.reverseY ? yOrder : [...yOrder].reverse(), axis: { title: plot.yLabel ?? columnLabel(plot.y), labelExpr: label(yOrder) } },
    },
    layer: layers,
  };
}

/** Above the middle of the colour range, cell text is dark (viridis is light at the top). */
function midpoint(values: number[], domain?: readonly [number, number]): number {
  const [low, high] = domain ?? [Math.min(...values), Math.max(...values)];
  return (low + high) / 2;
}
