import { KolmoError, type MetricsTable } from '@kolmo/core';
import { columnLabel, formatNumber } from './axis-format.ts';
import { fittedCurve, lawAlong, logSpaced, parameterText, pickFit, type BandKind, type PickedFit } from './fit-curve.ts';
import { dataRange, positionalChannel } from './plot-axes.ts';
import { meanPoints, requireColumn, selectRows, toNumber, type MeanPoint, type PlotContext } from './plot-data.ts';
import type { ExcessReference, ScalingPlot, TheoryLine } from './report-spec.ts';
import { theoryCurve, theoryExponent, theoryLabel } from './theory-curve.ts';

type Row = Readonly<Record<string, number | string>>;

const curveSamples = 80;

/** Vega's tableau10 scheme, spelled out so that the legend swatches can take the same colours. */
const tableau10 = ['#4c78a8', '#f58518', '#e45756', '#72b7b2', '#54a24b', '#eeca3b', '#b279a2', '#ff9da6', '#9d755d', '#bab0ac'];

/**
 * A scaling plot (theory §4): y against x on log–log axes, one colour per group and one point per x (the mean
 * over replicates such as seeds, with ± one standard error), fitted laws with their uncertainty band, and
 * dashed theory lines; the subtitle sets each fitted exponent beside the theory's.
 */
export function scalingPlotSpec(plot: ScalingPlot, context: PlotContext): Record<string, unknown> {
  const rows = selectRows(context.output.rows, plot.where, context);
  for (const [column, role] of [[plot.x, 'x'], [plot.y, 'y']] as const) requireColumn(rows, column, context, true, role);
  requireColumn(rows, plot.color, context, false, 'color');
  const excessOf = plot.excess === undefined ? undefined : excessLookup(plot.excess, plot.y, context);
  const yOf = (row: Row) => toNumber(row[plot.y]) - (excessOf ? excessOf(row) : 0);

  const allPoints = meanPoints(rows, { group: (row) => String(row[plot.color]), x: (row) => toNumber(row[plot.x]), y: yOf }, plot.replicate, [plot.x, plot.color], context);
  const points = allPoints.filter((p) => p.x > 0 && p.mean > 0);
  if (points.length < allPoints.length) {
    context.notes.push(`${allPoints.length - points.length} point(s) with x ≤ 0 or ${excessOf ? 'y − E' : 'y'} ≤ 0 left out: they have no place on log axes`);
  }
  if (points.length === 0) throw new KolmoError('input', `${context.name}: no point has positive x and ${excessOf ? 'y − E' : 'y'}, so nothing can be drawn on log axes`);
  const groups = [...new Set(points.map((p) => p.group))];
  const [xLow, xHigh] = dataRange(points.map((p) => p.x), 'log')!;

  // Fitted curves: one per fit, or per value of a joint law's other variable.
  const subtitle: string[] = [];
  const fits = (plot.fit === undefined ? [] : Array.isArray(plot.fit) ? plot.fit : [plot.fit]).map((reference, i) =>
    pickFit(context.output.fits, reference, `${context.path}.fit${Array.isArray(plot.fit) ? `[${i}]` : ''}`),
  );
  const curveRows: Record<string, unknown>[] = [];
  const curveNames: string[] = [];
  const bands = new Set<BandKind>();
  let firstCurve: ((x: number) => number) | undefined;
  for (const picked of fits) {
    if (typeof picked.fit.y === 'string' && picked.fit.y !== plot.y) {
      throw new KolmoError('invalidSpec', `${context.name}: fit "${picked.name}" is of ${picked.fit.y}, but this plot's y is ${plot.y}`);
    }
    const law = lawAlong(picked, plot.x, `${context.path}.fit`);
    const fitRows = rowsOfFit(rows, picked);
    const range = dataRange(fitRows.map((row) => toNumber(row[plot.x])), 'log') ?? [xLow, xHigh];
    const xs = logSpaced(range[0], range[1], curveSamples);
    const exponent = picked.fit.parameters[law.exponent];
    const curveName = `fit ${picked.name}: ∝ x^−${formatNumber(exponent, 3)}`;
    curveNames.push(curveName);
    const others = law.other ? [...new Set(fitRows.map((row) => toNumber(row[law.other!])))].sort((a, b) => a - b) : [undefined];
    for (const other of others) {
      const curve = fittedCurve(picked, law, xs, other, excessOf !== undefined);
      bands.add(curve.band);
      const series = curveSeries(picked, plot, groups, law.other, other);
      for (const point of curve.points) curveRows.push({ series, curve: curveName, ...point });
      if (!firstCurve) firstCurve = (x) => law.value(excessOf ? { ...picked.fit.parameters, E: 0 } : picked.fit.parameters, x, other);
    }
    subtitle.push(`fit ${picked.name}: fitted exponent ${parameterText(picked.fit, law.exponent, 3)}${levelText(picked)}`);
  }

  // Theory lines, dashed: each on its own series (its fit or its points) and in its colour, else in grey.
  const theories = plot.theory === undefined ? [] : Array.isArray(plot.theory) ? plot.theory : [plot.theory];
  const theoryRows: Record<string, unknown>[] = [];
  const theoryNames: string[] = [];
  const centre = Math.sqrt(xLow * xHigh);
  theories.forEach((theory, i) => {
    const where = `${context.path}.theory${Array.isArray(plot.theory) ? `[${i}]` : ''}`;
    const series = theorySeries(theory, groups, where);
    const ownFit = series === undefined ? undefined : fits.find((picked) => singleGroup(picked, plot) === series);
    const ownLaw = ownFit ? lawAlong(ownFit, plot.x, where) : undefined;
    const E = theory.E ?? (excessOf ? 0 : ((ownFit ?? fits[0])?.fit.parameters.E ?? 0));
    const ownCurve = ownFit && ownLaw ? (x: number) => ownLaw.value(excessOf ? { ...ownFit.fit.parameters, E: 0 } : ownFit.fit.parameters, x) : undefined;
    const seriesPoints = series === undefined ? points : points.filter((p) => p.group === series);
    const seriesCentre = series === undefined ? centre : geometricCentre(seriesPoints.map((p) => p.x));
    const anchor = theoryAnchor(theory, series === undefined ? fits : ownFit ? [ownFit] : [], ownCurve ?? (series === undefined ? firstCurve : undefined), seriesPoints, seriesCentre, where);
    const line = theoryCurve(theory, logSpaced(xLow, xHigh, curveSamples), E, anchor);
    const label = theoryLabel(theory);
    if (!line) {
      context.notes.push(`${label}: its anchor (y = ${formatNumber(anchor?.y ?? NaN)}) is not above E = ${formatNumber(E)}, so no line is drawn`);
      return;
    }
    const name = series === undefined || theory.label ? label : `${columnLabel(plot.color)} = ${series}: ${label}`;
    theoryNames.push(name);
    for (const point of line) theoryRows.push({ curve: name, ...(series === undefined ? {} : { series }), ...point });
    const { exponent, origin } = theoryExponent(theory);
    subtitle.push(`theory${series === undefined ? '' : ` (${series})`}: exponent ${formatNumber(exponent, 3)}${origin === 'given' ? '' : ` = ${origin.replace(', ', ' with ')}`}`);
    // A fitted interval that excludes the theory exponent is said, with the spec's reason when it gives one.
    for (const picked of series === undefined ? fits : ownFit ? [ownFit] : []) {
      const law = lawAlong(picked, plot.x, where);
      const interval = picked.fit.intervals?.[law.exponent];
      if (!interval || (interval[0] <= exponent && exponent <= interval[1])) continue;
      context.notes.push(
        `fit ${picked.name}: its ${intervalWord(picked)} [${formatNumber(interval[0], 3)}, ${formatNumber(interval[1], 3)}] of ${law.exponent} excludes the theory exponent ${formatNumber(exponent, 3)}${theory.why ? ` — ${theory.why}` : ' (the spec gives no reason)'}`,
      );
    }
  });
  if (bands.has('bootstrap')) context.notes.push('shaded: pointwise bootstrap band of the fitted curve (from the fit’s stored resamples)');
  if (bands.has('intervals')) {
    context.notes.push('shaded: envelope of the fitted law over the corners of its parameter intervals; fits.json stores no bootstrap resamples, and this envelope ignores their correlation, so it is wider than the curve’s own band');
  }

  // The y range: points, error bars, curves and theory lines (bands are clipped to it).
  const yValues = [
    ...points.flatMap((p) => [p.mean, p.mean + p.standardError, p.mean - p.standardError]),
    ...curveRows.map((r) => r.y as number),
    ...theoryRows.map((r) => r.y as number),
  ];
  const [yLow, yHigh] = dataRange(yValues, 'log')!;
  const xChannel = positionalChannel('log', xLow, xHigh, plot.xLabel ?? columnLabel(plot.x), { length: plot.width });
  const yTitle = plot.yLabel ?? (excessOf ? `${columnLabel(plot.y)} − E` : columnLabel(plot.y));
  const yChannel = positionalChannel('log', yLow, yHigh, yTitle, { length: plot.height });
  const yFloor = (yChannel.scale.domain as number[])[0];
  const x = { field: 'x', type: 'quantitative', ...xChannel };
  const y = { field: 'y', type: 'quantitative', ...yChannel };
  const curveSeriesNames = [...new Set(curveRows.map((r) => r.series as string))].filter((s) => !groups.includes(s));
  const color = { field: 'series', type: 'nominal', scale: { domain: [...groups, ...curveSeriesNames], range: tableau10 }, legend: { title: columnLabel(plot.color), symbolOpacity: 1, symbolType: 'circle' } };
  const dashes = { domain: [...curveNames, ...theoryNames], range: [...curveNames.map(() => [1, 0]), ...theoryNames.map(() => [6, 4])] };
  // The curves legend is a dash legend, so Vega draws its swatches in one grey; each curve drawn in a single
  // series colour gets that colour instead (the colour scale is tableau10 over the colour domain, in order).
  const colourDomain = [...groups, ...curveSeriesNames];
  const swatches: Record<string, string> = {};
  for (const row of [...curveRows, ...theoryRows]) {
    const name = row.curve as string;
    const colour = row.series === undefined ? '#333' : tableau10[colourDomain.indexOf(row.series as string) % tableau10.length];
    swatches[name] = swatches[name] === undefined || swatches[name] === colour ? colour : '#333';
  }

  // Curve names are long (law, exponent, origin): a legend below the plot, as wide as the plot, cuts none off.
  const curveLegend = {
    title: 'curves',
    symbolType: 'stroke',
    symbolStrokeWidth: 2,
    symbolSize: 500,
    labelLimit: plot.width,
    orient: 'bottom',
    direction: 'vertical',
    encode: { symbols: { update: { stroke: { signal: `(${JSON.stringify(swatches)})[datum.label] || '#333'` } } } },
  };
  const layers: Record<string, unknown>[] = [];
  if (plot.band && curveRows.some((r) => r.low !== undefined)) {
    layers.push({
      name: 'band',
      data: { values: curveRows.filter((r) => r.low !== undefined).map((r) => ({ ...r, low: Math.max(r.low as number, yFloor) })) },
      mark: { type: 'area', opacity: 0.16, clip: true },
      encoding: { x, y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' }, color, detail: { field: 'series' } },
    });
  }
  if (curveRows.length) {
    layers.push({
      name: 'fit',
      data: { values: curveRows },
      mark: { type: 'line', strokeWidth: 2, clip: true },
      encoding: { x, y, color, strokeDash: { field: 'curve', type: 'nominal', scale: dashes, legend: curveLegend }, detail: { field: 'series' } },
    });
  }
  const ownTheories = theoryRows.filter((r) => r.series !== undefined);
  const plainTheories = theoryRows.filter((r) => r.series === undefined);
  if (ownTheories.length) {
    layers.push({
      name: 'theory',
      data: { values: ownTheories },
      mark: { type: 'line', strokeWidth: 1.5, clip: true },
      encoding: { x, y, color, strokeDash: { field: 'curve', type: 'nominal', scale: dashes, legend: curveLegend }, detail: { field: 'curve' } },
    });
  }
  if (plainTheories.length) {
    layers.push({
      name: ownTheories.length ? 'theory-plain' : 'theory',
      data: { values: plainTheories },
      mark: { type: 'line', strokeWidth: 1.5, color: '#333', clip: true },
      encoding: { x, y, strokeDash: { field: 'curve', type: 'nominal', scale: dashes, legend: curveLegend } },
    });
  }
  const replicated = points.filter((p) => p.n > 1 && p.standardError > 0);
  if (replicated.length) {
    layers.push({
      name: 'errorbars',
      data: { values: replicated.map((p) => ({ series: p.group, x: p.x, low: Math.max(p.mean - p.standardError, yFloor), high: p.mean + p.standardError })) },
      mark: { type: 'rule', strokeWidth: 1.5 },
      encoding: { x, y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' }, color },
    });
  }
  layers.push({
    name: 'points',
    data: { values: points.map((p) => pointDatum(p, plot)) },
    mark: { type: 'point', filled: true, size: 55, opacity: 0.95 },
    encoding: { x, y, color, description: { field: 'description' } },
  });
  // A series equal to another at every x (the oracle's held-out loss is the truth's) would vanish under it:
  // its points get a ring drawn on top, and a note says so.
  const hidden = coincidentSeries(points, groups);
  if (hidden.length) {
    const rings = points.filter((p) => hidden.some((h) => h.series === p.group));
    layers.push({
      name: 'coincident',
      data: { values: rings.map((p) => pointDatum(p, plot)) },
      mark: { type: 'point', filled: false, size: 160, strokeWidth: 2, opacity: 1 },
      encoding: { x, y, color },
    });
    for (const { series, under } of hidden) context.notes.push(`${series}: the same values as ${under} at every ${columnLabel(plot.x)}; drawn as rings around its points`);
  }
  if (replicated.length) context.notes.push(`points: mean over ${plot.replicate} (up to ${Math.max(...points.map((p) => p.n))} per point), bars ± one standard error`);

  return {
    title: { text: plot.title ?? `${yTitle} vs ${plot.xLabel ?? columnLabel(plot.x)}`, ...(subtitle.length ? { subtitle } : {}) },
    width: plot.width,
    height: plot.height,
    layer: layers,
    resolve: { scale: { color: 'shared', strokeDash: 'shared' } },
  };
}

/** Series whose mean points equal (to 1e-9) those of a series drawn later, at every x: they would be hidden. */
function coincidentSeries(points: readonly MeanPoint[], groups: readonly string[]): { series: string; under: string }[] {
  const bySeries = new Map(groups.map((group) => [group, points.filter((p) => p.group === group)]));
  const same = (a: MeanPoint[], b: MeanPoint[]) =>
    a.length === b.length && a.every((p) => b.some((q) => q.x === p.x && Math.abs(q.mean - p.mean) <= 1e-9 * Math.abs(p.mean)));
  const hidden: { series: string; under: string }[] = [];
  groups.forEach((group, i) => {
    const under = groups.slice(i + 1).find((later) => same(bySeries.get(group)!, bySeries.get(later)!));
    if (under !== undefined) hidden.push({ series: group, under });
  });
  return hidden;
}

function pointDatum(p: MeanPoint, plot: ScalingPlot): Record<string, unknown> {
  const precise = (v: number) => formatNumber(v, 12);
  return {
    series: p.group,
    x: p.x,
    y: p.mean,
    standardError: p.standardError,
    n: p.n,
    description: `${plot.color}=${p.group}; ${plot.x}=${precise(p.x)}; ${plot.y}=${precise(p.mean)}; standard error=${precise(p.standardError)}; n=${p.n}`,
  };
}

function levelText(picked: PickedFit): string {
  const runs = fewRuns(picked);
  if (runs !== undefined) return ` (range of ${runs} runs)`;
  const level = (picked.fit.bootstrap as { level?: number } | undefined)?.level ?? (picked.fit.intervals ? 0.95 : undefined);
  return level === undefined ? '' : ` (${formatNumber(level * 100, 3)}%)`;
}

/** A bootstrap over ≤ 3 groups (seeds) gives little more than the range of those runs, and is called that. */
export function fewRuns(picked: PickedFit): number | undefined {
  const bootstrap = picked.fit.bootstrap as { over?: string; groups?: number } | undefined;
  return bootstrap?.over === 'groups' && bootstrap.groups !== undefined && bootstrap.groups <= 3 ? bootstrap.groups : undefined;
}

function intervalWord(picked: PickedFit): string {
  const runs = fewRuns(picked);
  return runs === undefined ? 'interval' : `range of ${runs} runs`;
}

/** The group a fit selects by the plot's colour column, when it selects exactly one. */
function singleGroup(picked: PickedFit, plot: ScalingPlot): string | undefined {
  const wanted = ((picked.fit.where ?? {}) as Record<string, unknown>)[plot.color];
  const single = Array.isArray(wanted) ? (wanted.length === 1 ? wanted[0] : undefined) : wanted;
  return single === undefined ? undefined : String(single);
}

/** The colour group a theory line belongs to: its `series`, else its alpha when the plot has that group. */
function theorySeries(theory: TheoryLine, groups: readonly string[], where: string): string | undefined {
  if (theory.series !== undefined) {
    if (!groups.includes(String(theory.series))) throw new KolmoError('invalidSpec', `${where}.series: no group "${theory.series}" in this plot; its groups are ${groups.join(', ')}`);
    return String(theory.series);
  }
  return theory.alpha !== undefined && groups.includes(String(theory.alpha)) ? String(theory.alpha) : undefined;
}

function geometricCentre(xs: readonly number[]): number {
  return Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length);
}

/** The rows a fit was made from, among the plot's rows (its `where`). */
function rowsOfFit(rows: MetricsTable, picked: PickedFit): MetricsTable {
  const where = (picked.fit.where ?? {}) as Record<string, unknown>;
  const matching = rows.filter((row) =>
    Object.entries(where).every(([column, wanted]) => (Array.isArray(wanted) ? wanted : [wanted]).some((value) => String(row[column]) === String(value))),
  );
  return matching.length ? matching : rows;
}

/** Which colour a fitted curve takes: its group's when the fit selects one group (or a joint law's other variable is the colour), else its own. */
function curveSeries(picked: PickedFit, plot: ScalingPlot, groups: readonly string[], otherColumn: string | undefined, other: number | undefined): string {
  const wanted = ((picked.fit.where ?? {}) as Record<string, unknown>)[plot.color];
  const single = Array.isArray(wanted) ? (wanted.length === 1 ? wanted[0] : undefined) : wanted;
  if (otherColumn !== undefined && otherColumn === plot.color && groups.includes(String(other))) return String(other);
  if (single !== undefined && groups.includes(String(single)) && otherColumn === undefined) return String(single);
  return otherColumn === undefined ? `fit ${picked.name}` : `fit ${picked.name}, ${otherColumn} = ${formatNumber(other!)}`;
}

function theoryAnchor(
  theory: TheoryLine,
  fits: readonly PickedFit[],
  firstCurve: ((x: number) => number) | undefined,
  points: readonly MeanPoint[],
  centre: number,
  where: string,
): { x: number; y: number } | undefined {
  if (theory.A !== undefined) return undefined;
  const anchor = theory.anchor ?? (firstCurve ? 'fit' : 'data');
  if (typeof anchor === 'object') return anchor;
  if (anchor === 'fit') {
    if (!firstCurve) throw new KolmoError('invalidSpec', `${where}.anchor: 'fit' needs a fit in this plot (give fit, or anchor: data or { x, y })`);
    return { x: centre, y: firstCurve(centre) };
  }
  const group = fits.length ? undefined : points[0].group;
  const candidates = points.filter((p) => group === undefined || p.group === group);
  const nearest = candidates.reduce((best, p) => (Math.abs(Math.log(p.x / centre)) < Math.abs(Math.log(best.x / centre)) ? p : best));
  return { x: nearest.x, y: nearest.mean };
}

/** E per row for an excess plot: a number, a column, or the same run's row of another predictor. */
function excessLookup(excess: ExcessReference, y: string, context: PlotContext): (row: Row) => number {
  if (typeof excess === 'number') return () => excess;
  if (typeof excess === 'string') {
    return (row) => {
      const value = toNumber(row[excess]);
      if (!Number.isFinite(value)) throw new KolmoError('input', `${context.path}.excess: column "${excess}" must hold numbers, run ${String(row.run)} has ${JSON.stringify(row[excess])}`);
      return value;
    };
  }
  const column = excess.column ?? y;
  const byRun = new Map<string, Row>();
  for (const row of context.output.rows) if (String(row.predictor) === excess.predictor) byRun.set(String(row.run), row);
  return (row) => {
    const reference = byRun.get(String(row.run));
    if (!reference) throw new KolmoError('input', `${context.path}.excess: E comes from predictor "${excess.predictor}", but run "${String(row.run)}" has no such row`);
    const value = toNumber(reference[column]);
    if (!Number.isFinite(value)) throw new KolmoError('input', `${context.path}.excess: predictor "${excess.predictor}" has no number in column "${column}" for run "${String(row.run)}"`);
    return value;
  };
}
