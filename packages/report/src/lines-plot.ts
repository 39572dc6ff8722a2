import { KolmoError } from '@kolmo/core';
import { columnLabel, formatNumber } from './axis-format.ts';
import { dataRange, positionalChannel } from './plot-axes.ts';
import { meanPoints, requireColumn, selectRows, sourceRows, toNumber, type MeanPoint, type PlotContext } from './plot-data.ts';
import type { LinesPlot } from './report-spec.ts';

/**
 * Generic lines (theory §5: fine-tuning and hallucination curves): y against x per group, or several y
 * columns as one line each, averaged over replicates (mean ± standard error), on linear or log axes.
 */
export function linesPlotSpec(plot: LinesPlot, context: PlotContext): Record<string, unknown> {
  const rows = selectRows(sourceRows(plot.source, context), plot.where, context);
  const ys = Array.isArray(plot.y) ? plot.y : [plot.y];
  requireColumn(rows, plot.x, context, true, 'x');
  for (const y of ys) requireColumn(rows, y, context, true, 'y');
  if (plot.color) requireColumn(rows, plot.color, context, false, 'color');
  const seriesName = (row: Readonly<Record<string, number | string>>, y: string) =>
    plot.color ? (ys.length > 1 ? `${String(row[plot.color])} · ${columnLabel(y)}` : String(row[plot.color])) : columnLabel(y);
  const own = [plot.x, ...ys, ...(plot.color ? [plot.color] : [])];
  const all: MeanPoint[] = ys.flatMap((y) =>
    meanPoints(rows, { group: (row) => seriesName(row, y), x: (row) => toNumber(row[plot.x]), y: (row) => toNumber(row[y]) }, plot.replicate, own, context),
  );
  const points = all.filter((p) => (plot.xScale === 'linear' || p.x > 0) && (plot.yScale === 'linear' || p.mean > 0));
  if (points.length < all.length) context.notes.push(`${all.length - points.length} point(s) ≤ 0 left out: they have no place on log axes`);
  if (points.length === 0) throw new KolmoError('input', `${context.name}: no point can be drawn on the chosen axes`);
  const series = [...new Set(points.map((p) => p.group))];

  const [xLow, xHigh] = dataRange(points.map((p) => p.x), plot.xScale)!;
  const [yLow, yHigh] = plot.yDomain ?? dataRange(points.flatMap((p) => [p.mean - p.standardError, p.mean, p.mean + p.standardError]), plot.yScale)!;
  const xChannel = positionalChannel(plot.xScale, xLow, xHigh, plot.xLabel ?? columnLabel(plot.x), { length: plot.width, integers: points.every((p) => Number.isInteger(p.x)) });
  const yChannel = positionalChannel(plot.yScale, yLow, yHigh, plot.yLabel ?? (ys.length === 1 ? columnLabel(ys[0]) : 'value (see legend)'), { length: plot.height });
  if (plot.yDomain) yChannel.scale.domain = plot.yDomain;
  const yFloor = (yChannel.scale.domain as number[])[0];
  const x = { field: 'x', type: 'quantitative', ...xChannel };
  const y = { field: 'y', type: 'quantitative', ...yChannel };
  const color = { field: 'series', type: 'nominal', scale: { domain: series, scheme: 'tableau10' }, legend: { title: plot.color ? columnLabel(plot.color) : null, symbolOpacity: 1, symbolType: 'circle' } };
  const precise = (v: number) => formatNumber(v, 12);
  const layers: Record<string, unknown>[] = [];
  const replicated = points.filter((p) => p.n > 1 && p.standardError > 0);
  if (replicated.length) {
    layers.push({
      name: 'errorbars',
      data: { values: replicated.map((p) => ({ series: p.group, x: p.x, low: Math.max(p.mean - p.standardError, yFloor), high: p.mean + p.standardError })) },
      mark: { type: 'rule', strokeWidth: 1.2, clip: true },
      encoding: { x, y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' }, color },
    });
    context.notes.push(`points: mean over ${plot.replicate} (up to ${Math.max(...points.map((p) => p.n))} per point), bars ± one standard error`);
  }
  const values = points.map((p) => ({
    series: p.group,
    x: p.x,
    y: p.mean,
    standardError: p.standardError,
    n: p.n,
    description: `${p.group}: ${plot.x}=${precise(p.x)}; y=${precise(p.mean)}; standard error=${precise(p.standardError)}; n=${p.n}`,
  }));
  layers.push({ name: 'lines', data: { values }, mark: { type: 'line', strokeWidth: 2, clip: true }, encoding: { x, y, color } });
  if (plot.points) {
    layers.push({ name: 'points', data: { values }, mark: { type: 'point', filled: true, size: 45, opacity: 1, clip: true }, encoding: { x, y, color, description: { field: 'description' } } });
  }
  return {
    title: { text: plot.title ?? `${ys.map(columnLabel).join(', ')} vs ${columnLabel(plot.x)}` },
    width: plot.width,
    height: plot.height,
    layer: layers,
  };
}
