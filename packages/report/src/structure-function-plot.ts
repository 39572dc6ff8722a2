import { KolmoError } from '@kolmo/core';
import { columnLabel, formatNumber } from './axis-format.ts';
import { dataRange, positionalChannel } from './plot-axes.ts';
import { meanPoints, requireColumn, selectRows, toNumber, type PlotContext } from './plot-data.ts';
import type { StructureFunctionPlot } from './report-spec.ts';

export const structureSeries = { model: 'model bits C', data: 'data bits L_C(X)', total: 'two-part total C + L_C(X)' } as const;

/**
 * The empirical Kolmogorov structure function (theory §6): over a grid of capacities, model bits C, data bits
 * L_C(X) and the two-part total C + L_C(X), whose minimum (the MDL model) is marked; optionally the
 * prequential code of the Bayes-optimal predictor as a horizontal line.
 */
export function structureFunctionPlotSpec(plot: StructureFunctionPlot, context: PlotContext): Record<string, unknown> {
  const rows = selectRows(context.output.rows, plot.where, context);
  requireColumn(rows, plot.x, context, true, 'x (capacity)');
  requireColumn(rows, plot.dataBits, context, true, 'dataBits');
  if (plot.modelBits) requireColumn(rows, plot.modelBits, context, true, 'modelBits');
  // Several predictors are fine when each stands for one capacity (e.g. C=1000, C=3162, …); two at one capacity
  // (a capacity-limited and the Bayes-optimal predictor) would be averaged together, which is never meant.
  const predictorAt = new Map<number, Set<string>>();
  for (const row of rows) {
    if (row.predictor === undefined) continue;
    const capacity = toNumber(row[plot.x]);
    if (!predictorAt.has(capacity)) predictorAt.set(capacity, new Set());
    predictorAt.get(capacity)!.add(String(row.predictor));
  }
  const mixed = [...predictorAt].find(([, names]) => names.size > 1);
  if (mixed) {
    throw new KolmoError('input', `${context.name}: at ${plot.x} = ${mixed[0]} the rows hold several predictors (${[...mixed[1]].join(', ')}); pick the capacity-limited one(s) with where: { predictor: … }`);
  }
  const key = { group: () => '', x: (row: Readonly<Record<string, number | string>>) => toNumber(row[plot.x]) };
  const own = [plot.x, plot.dataBits, ...(plot.modelBits ? [plot.modelBits] : [])];
  const data = meanPoints(rows, { ...key, y: (row) => toNumber(row[plot.dataBits]) }, plot.replicate, own, context);
  const model = plot.modelBits ? meanPoints(rows, { ...key, y: (row) => toNumber(row[plot.modelBits!]) }, plot.replicate, own, { ...context, notes: [] }).map((p) => p.mean) : data.map((p) => p.x);
  const points = data.map((p, i) => ({ capacity: p.x, model: model[i], data: p.mean, total: model[i] + p.mean, standardError: p.standardError, n: p.n }));

  const series = points.flatMap((p) => [
    { series: structureSeries.model, x: p.capacity, y: p.model },
    { series: structureSeries.data, x: p.capacity, y: p.data },
    { series: structureSeries.total, x: p.capacity, y: p.total },
  ]);
  const usable = series.filter((s) => (plot.xScale === 'linear' || s.x > 0) && (plot.yScale === 'linear' || s.y > 0));
  if (usable.length < series.length) context.notes.push(`${series.length - usable.length} value(s) ≤ 0 left out: they have no place on log axes`);
  if (usable.length === 0) throw new KolmoError('input', `${context.name}: no value can be drawn on the chosen axes`);
  const minimum = points.reduce((best, p) => (p.total < best.total ? p : best));

  let prequential: { value: number; label: string } | undefined;
  if (plot.prequential) {
    const prequentialRows = selectRows(context.output.rows, plot.prequential.where, { ...context, name: `${context.path}.prequential` });
    const column = plot.prequential.column ?? plot.dataBits;
    requireColumn(prequentialRows, column, { ...context, name: `${context.path}.prequential` }, true, 'prequential');
    const value = prequentialRows.reduce((sum, row) => sum + toNumber(row[column]), 0) / prequentialRows.length;
    prequential = { value, label: `prequential code (${Object.values(plot.prequential.where).flat().join(', ') || column})` };
  }

  const precise = (v: number) => formatNumber(v, 12);
  const [xLow, xHigh] = dataRange(usable.map((s) => s.x), plot.xScale)!;
  const [yLow, yHigh] = dataRange([...usable.map((s) => s.y), ...(prequential ? [prequential.value] : [])], plot.yScale)!;
  const x = { field: 'x', type: 'quantitative', ...positionalChannel(plot.xScale, xLow, xHigh, plot.xLabel ?? columnLabel(plot.x), { length: plot.width }) };
  const y = { field: 'y', type: 'quantitative', ...positionalChannel(plot.yScale, yLow, yHigh, plot.yLabel ?? 'code length (bits)', { length: plot.height }) };
  const names = [structureSeries.model, structureSeries.data, structureSeries.total, ...(prequential ? [prequential.label] : [])];
  const color = { field: 'series', type: 'nominal', scale: { domain: names, range: ['#9c9c9c', '#4c78a8', '#e45756', '#54a24b'] }, legend: { title: null, orient: 'bottom', direction: 'horizontal', columns: 2 } };
  const curves = usable.map((s) => ({ ...s, description: `${s.series}: C=${precise(s.x)}; bits=${precise(s.y)}` }));
  const layers: Record<string, unknown>[] = [
    { name: 'curves', data: { values: curves }, mark: { type: 'line', strokeWidth: 2 }, encoding: { x, y, color } },
    { name: 'points', data: { values: curves }, mark: { type: 'point', filled: true, size: 40, opacity: 1 }, encoding: { x, y, color, description: { field: 'description' } } },
    {
      name: 'minimum',
      data: { values: [{ x: minimum.capacity, y: minimum.total, description: `MDL minimum: C=${precise(minimum.capacity)}; total=${precise(minimum.total)}`, label: `MDL minimum: C = ${formatNumber(minimum.capacity)}` }] },
      mark: { type: 'point', shape: 'diamond', size: 260, filled: false, strokeWidth: 2.5, color: '#b2182b' },
      encoding: { x, y, description: { field: 'description' } },
    },
    {
      name: 'minimum-label',
      data: { values: [{ x: minimum.capacity, y: minimum.total, label: `MDL minimum: C = ${formatNumber(minimum.capacity)} bits, C + L_C(X) = ${formatNumber(minimum.total)} bits` }] },
      mark: { type: 'text', dy: -16, fontSize: 11, color: '#b2182b', fontWeight: 'bold' },
      encoding: { x, y, text: { field: 'label' } },
    },
  ];
  if (prequential) {
    layers.push({
      name: 'prequential',
      data: { values: [{ series: prequential.label, x: xLow, y: prequential.value }, { series: prequential.label, x: xHigh, y: prequential.value }] },
      mark: { type: 'line', strokeDash: [6, 4], strokeWidth: 1.5 },
      encoding: { x, y, color },
    });
  }
  const subtitle = [
    `MDL minimum at C = ${formatNumber(minimum.capacity)}: total ${formatNumber(minimum.total)} bits = model ${formatNumber(minimum.model)} + data ${formatNumber(minimum.data)}`,
    ...(prequential ? [`prequential code: ${formatNumber(prequential.value)} bits (no model to transmit)`] : []),
  ];
  if (points.some((p) => p.n > 1)) context.notes.push(`data bits: mean over ${plot.replicate} (up to ${Math.max(...points.map((p) => p.n))} per capacity)`);
  return {
    title: { text: plot.title ?? 'structure function: data bits and two-part code vs capacity', subtitle },
    width: plot.width,
    height: plot.height,
    layer: layers,
  };
}
