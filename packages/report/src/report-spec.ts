import { formatPath, KolmoError, type SpecSource } from '@kolmo/core';
import { z } from 'zod';

/**
 * The `report:` section of a pipeline spec: a title, where the HTML goes, and a list of plots. Each plot
 * picks its rows from the metrics table (or a table file of the run) and, for scaling plots, a fit of
 * fits.json by label or index. Column names are those of core's metrics-rows.ts.
 */
const cell = z.union([z.string(), z.number()]);

const where = z
  .record(z.string(), z.union([cell, z.array(cell)]))
  .default({})
  .describe('keep only rows whose columns equal these values (a list means any of them), e.g. { predictor: bayes-optimal }');

const column = (what: string) => z.string().min(1).describe(what);

const axisScale = z.enum(['linear', 'log']);

const plotId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'a plot id is a file name: letters, digits, _ . - (it names plots/<id>.svg)')
  .optional()
  .describe('names the plot file plots/<id>.svg and its anchor in report.html (default: <kind>-<index>)');

const common = {
  id: plotId,
  title: z.string().optional().describe('the plot title (default: y vs x)'),
  caption: z.string().optional().describe('a sentence under the plot: what to read from it'),
  where,
  width: z.number().int().min(120).max(2000).default(520).describe('width of the plotting area in pixels'),
  height: z.number().int().min(80).max(2000).default(320).describe('height of the plotting area in pixels'),
  xLabel: z.string().optional().describe('x axis title with its unit (default: from the column name)'),
  yLabel: z.string().optional().describe('y axis title with its unit (default: from the column name)'),
};

/** A table of the run folder other than the metrics table: Arrow IPC (file or stream) or JSON rows. */
export const tableSource = z
  .union([
    z.literal('metrics'),
    z.strictObject({
      file: z.string().min(1).describe('path relative to the output folder'),
      format: z.enum(['arrow', 'json']).optional().describe('default: from the extension (.arrow/.arrows/.feather/.ipc: Arrow, else JSON)'),
    }),
  ])
  .default('metrics')
  .describe("'metrics' (metrics-table.json) or { file }: Arrow IPC or JSON (an array of rows, or { rows })");

/** A fit of fits.json: its `label`, or its index in the file. */
export const fitReference = z.union([z.string().min(1), z.number().int().min(0)]);

/**
 * A theory line: y = E + A x^(−exponent), with the exponent given or derived from the Pitman–Yor discount α
 * (theory §4: data law 1 − α, capacity law (1 − α)/α), and A given or chosen to pass through an anchor.
 */
export const theoryLine = z
  .strictObject({
    label: z.string().optional().describe('legend text (default: the exponent and where it comes from)'),
    exponent: z.number().min(0).optional().describe('the decay exponent a of y ∝ x^(−a)'),
    alpha: z.number().gt(0).lt(1).optional().describe('the discount α of the prior, giving the exponent by `law`'),
    law: z.enum(['data', 'capacity']).default('data').describe('with alpha: data law exponent 1 − α, capacity law (1 − α)/α'),
    E: z.number().optional().describe('the offset E in the plotted scale (default 0 for excess plots, else the fit’s E, else 0)'),
    A: z.number().positive().optional().describe('the coefficient A; omit it to anchor the line instead'),
    anchor: z
      .union([z.enum(['fit', 'data']), z.strictObject({ x: z.number().positive(), y: z.number() })])
      .optional()
      .describe("where the line passes: 'fit' (the fitted curve at the centre of the x range, the default with a fit), 'data' (the point nearest that centre), or { x, y }"),
    series: z
      .union([z.string(), z.number()])
      .optional()
      .describe("the colour group (a value of the plot's color column) the line belongs to: anchored to that group's fit or points and drawn in its colour (default: the group equal to alpha, when there is one)"),
    why: z
      .string()
      .optional()
      .describe('one line on why a fit may miss this line (e.g. finite-size bias, theory §4), printed when a fitted interval excludes the theory exponent'),
  })
  .superRefine((theory, context) => {
    if ((theory.exponent === undefined) === (theory.alpha === undefined)) {
      context.addIssue({ code: 'custom', message: 'give exactly one of exponent or alpha', path: ['exponent'] });
    }
    if (theory.A !== undefined && theory.anchor !== undefined) {
      context.addIssue({ code: 'custom', message: 'give A or anchor, not both (A fixes the line, anchor chooses A)', path: ['anchor'] });
    }
  });

/** The E to subtract for an excess-loss plot, as the fitter's fixE: a number, a column, or another predictor of the same run. */
export const excessReference = z.union([
  z.number(),
  z.string().min(1),
  z.strictObject({
    predictor: z.string().min(1).describe('the predictor whose row of the same run gives E (e.g. truth)'),
    column: z.string().optional().describe('its column (default: the y column)'),
  }),
]);

const oneOrMore = <T extends z.ZodType>(schema: T) => z.union([schema, z.array(schema).min(1)]);

export const scalingPlot = z.strictObject({
  kind: z.literal('scaling'),
  ...common,
  x: column('the scaling variable (documents, tokens, capacity, …)').default('documents'),
  y: column('the loss column').default('bits_per_document'),
  color: column('one colour and one point per value of this column (default: predictor)').default('predictor'),
  replicate: column('rows that differ only in this column (e.g. seed) are averaged: mean ± standard error').default('seed'),
  excess: excessReference
    .optional()
    .describe('plot the excess loss y − E (the redundancy) instead of y; fitted curves then drop their E'),
  fit: oneOrMore(fitReference).optional().describe('fits of fits.json to draw with their 95% band: a label or an index, or a list'),
  band: z.boolean().default(true).describe('shade each fit’s uncertainty band'),
  theory: oneOrMore(theoryLine).optional().describe('theory lines to draw dashed'),
});

export const structureFunctionPlot = z.strictObject({
  kind: z.literal('structure-function'),
  ...common,
  x: column('the capacity column (model bits C, theory §6)').default('capacity'),
  dataBits: column('the data bits L_C(X) of the capacity-limited predictor').default('bits'),
  modelBits: column('a column of model bits, when the capacity column is not in bits').optional(),
  replicate: column('rows that differ only in this column are averaged').default('seed'),
  prequential: z
    .strictObject({
      where: where.describe('the rows of the prequential (Bayes-mixture) code, e.g. { predictor: bayes-optimal }'),
      column: z.string().optional().describe('its column (default: dataBits)'),
    })
    .optional()
    .describe('draw the prequential code length as a horizontal line (theory §6: it needs no transmitted model)'),
  xScale: axisScale.default('log'),
  yScale: axisScale.default('log'),
});

export const heatmapPlot = z.strictObject({
  kind: z.literal('heatmap'),
  ...common,
  source: tableSource,
  x: column('the column of the heatmap’s columns (e.g. documents or step)'),
  y: column('the column of its rows (e.g. a frequency bin)'),
  value: column('the column coloured (e.g. fraction acquired)'),
  aggregate: z.enum(['mean', 'sum', 'min', 'max']).default('mean').describe('how rows sharing a cell combine'),
  valueLabel: z.string().optional().describe('colour legend title with its unit'),
  domain: z.tuple([z.number(), z.number()]).optional().describe('colour scale [low, high] (default: the data’s range)'),
  scheme: z.string().default('viridis').describe('a Vega colour scheme'),
  labels: z.boolean().default(false).describe('write each cell’s value in it'),
  reverseY: z.boolean().default(false).describe('largest row value at the bottom instead of the top'),
});

export const linesPlot = z.strictObject({
  kind: z.literal('lines'),
  ...common,
  source: tableSource,
  x: column('the x column'),
  y: oneOrMore(z.string().min(1)).describe('the y column, or several (one line each)'),
  color: column('one line per value of this column').optional(),
  replicate: column('rows that differ only in this column are averaged: mean ± standard error').default('seed'),
  xScale: axisScale.default('linear'),
  yScale: axisScale.default('linear'),
  points: z.boolean().default(true).describe('mark each point as well as the line'),
  yDomain: z.tuple([z.number(), z.number()]).optional().describe('y range [low, high] (default: the data’s)'),
});

export const plotSpec = z.discriminatedUnion('kind', [scalingPlot, structureFunctionPlot, heatmapPlot, linesPlot]);

export const reportSpec = z
  .strictObject({
    title: z.string().optional().describe('the report’s heading (default: the spec’s name)'),
    path: z.string().min(1).default('report.html').describe('the HTML file, relative to the output folder; plots go to plots/ beside it'),
    fits: z.boolean().default(true).describe('include the table of fits (parameters, intervals, warnings)'),
    plots: z.array(plotSpec).default([]),
  })
  .superRefine((report, context) => {
    const seen = new Map<string, number>();
    report.plots.forEach((plot, index) => {
      const id = plot.id ?? defaultPlotId(plot.kind, index);
      const first = seen.get(id);
      if (first !== undefined) context.addIssue({ code: 'custom', message: `plot id "${id}" is already used by plots[${first}]`, path: ['plots', index, 'id'] });
      else seen.set(id, index);
    });
  });

export type ReportSpec = z.output<typeof reportSpec>;
export type ReportSpecInput = z.input<typeof reportSpec>;
export type PlotSpec = z.output<typeof plotSpec>;
export type ScalingPlot = z.output<typeof scalingPlot>;
export type StructureFunctionPlot = z.output<typeof structureFunctionPlot>;
export type HeatmapPlot = z.output<typeof heatmapPlot>;
export type LinesPlot = z.output<typeof linesPlot>;
export type TheoryLine = z.output<typeof theoryLine>;
export type TableSource = z.output<typeof tableSource>;
export type FitReference = z.output<typeof fitReference>;
export type ExcessReference = z.output<typeof excessReference>;
export type Where = z.output<typeof where>;

export function defaultPlotId(kind: string, index: number): string {
  return `${kind}-${index + 1}`;
}

/** The id a plot's files and anchor use. */
export function plotIdOf(plot: PlotSpec, index: number): string {
  return plot.id ?? defaultPlotId(plot.kind, index);
}

/**
 * Checks a report section; errors name the path (`report.plots[1].fit`), with the file position when the
 * spec's source is given, and list every problem.
 */
export function parseReportSpec(value: unknown, source?: SpecSource, base: readonly PropertyKey[] = ['report']): ReportSpec {
  const parsed = reportSpec.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues.flatMap((issue) => {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
    return keys.map((key) => {
      const path = [...base, ...issue.path, ...(key === undefined ? [] : [key])];
      const where = source ? ` (${source.locate(path)})` : '';
      return `${formatPath(path)}${where}: ${issue.code === 'unrecognized_keys' ? 'unknown field' : describeIssue(issue, value, path.slice(base.length))}`;
    });
  });
  return failWith(details);
}

function failWith(details: string[]): never {
  throw new KolmoError('invalidSpec', details[0], { details });
}

function describeIssue(issue: z.core.$ZodIssue, value: unknown, path: readonly PropertyKey[]): string {
  if (issue.code === 'invalid_union' && 'discriminator' in issue && issue.discriminator === 'kind') {
    const kind = valueAt(value, path);
    return `unknown plot kind ${JSON.stringify(kind)}; known kinds: scaling, structure-function, heatmap, lines`;
  }
  return issue.message;
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const key of path) current = current && typeof current === 'object' ? (current as Record<PropertyKey, unknown>)[key] : undefined;
  return current;
}
