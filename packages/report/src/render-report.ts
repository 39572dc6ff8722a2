import { mkdir } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { KolmoError, writeFileAtomic, type SpecSource } from '@kolmo/core';
import { columnLabel } from './axis-format.ts';
import { heatmapPlotSpec } from './heatmap-plot.ts';
import { linesPlotSpec } from './lines-plot.ts';
import type { PlotContext } from './plot-data.ts';
import { reportHtml, type PagePlot } from './report-html.ts';
import { parseReportSpec, plotIdOf, type PlotSpec, type ReportSpec, type ReportSpecInput } from './report-spec.ts';
import { readRunOutput, type RunOutput } from './run-output.ts';
import { scalingPlotSpec } from './scaling-plot.ts';
import { structureFunctionPlotSpec } from './structure-function-plot.ts';
import { renderVegaLite } from './vega-render.ts';

export interface ReportProgress {
  /** Steps done of `total` (reading the outputs, each plot, writing the page). */
  readonly done: number;
  readonly total: number;
  readonly message: string;
}

export interface RenderReportOptions {
  readonly onProgress?: (progress: ReportProgress) => void;
  /** The spec's name for the header (default: the manifests'). */
  readonly specName?: string;
  /** The spec's parsed source, so that report-section errors carry file positions. */
  readonly source?: SpecSource;
  /** The date the page states it was made (default: now). */
  readonly now?: Date;
}

export interface RenderedPlot {
  readonly id: string;
  readonly title: string;
  /** The plot as a standalone SVG file. */
  readonly svgPath: string;
  /** Not written: rasterizing needs a canvas or browser this package does without. */
  readonly pngPath?: string;
  /** Remarks shown under the plot (points left out, averaged rows, how the band was made, …). */
  readonly notes: readonly string[];
}

export interface RenderedReport {
  readonly html: string;
  readonly htmlPath: string;
  readonly plots: readonly RenderedPlot[];
}

/**
 * Renders a run's report: each plot of the report section to `plots/<id>.svg` (Vega-Lite, rendered to SVG in
 * Node) and one self-contained `report.html` (header, fits table, the SVGs inline, the runs), all written
 * atomically. `report` is a parsed report section or its raw value (checked here; errors name the path).
 */
export async function renderReport(outputFolder: string, report: ReportSpec | ReportSpecInput | unknown, options: RenderReportOptions = {}): Promise<RenderedReport> {
  const spec = parseReportSpec(report, options.source);
  const total = spec.plots.length + 2;
  const progress = (done: number, message: string) => options.onProgress?.({ done, total, message });
  progress(0, `reading ${outputFolder}`);
  const output = readRunOutput(outputFolder);
  const htmlPath = resolve(output.folder, spec.path);
  const plotsFolder = join(dirname(htmlPath), 'plots');
  progress(1, 'read the metrics table and fits');

  const rendered: (RenderedPlot & { svg: string; caption?: string })[] = [];
  for (const [index, plot] of spec.plots.entries()) {
    const id = plotIdOf(plot, index);
    const context: PlotContext = { output, path: `report.plots[${index}]`, name: `report.plots[${index}] (${plot.kind} "${id}")`, notes: [] };
    const vegaLite = plotVegaLite(plot, context);
    let svg: string;
    try {
      const view = await renderVegaLite(vegaLite);
      svg = view.svg;
      view.view.finalize();
      for (const warning of view.warnings) context.notes.push(`Vega-Lite: ${warning}`);
    } catch (error) {
      throw new KolmoError('failed', `${context.name}: rendering failed: ${(error as Error).message}`, { cause: error });
    }
    const title = plot.title ?? ((vegaLite.title as { text?: string } | undefined)?.text ?? columnLabel(id));
    rendered.push({ id, title, caption: plot.caption, svgPath: join(plotsFolder, `${id}.svg`), svg, notes: context.notes });
    progress(index + 2, `plot ${index + 1}/${spec.plots.length}: ${id}`);
  }

  await mkdir(plotsFolder, { recursive: true }).catch((error: NodeJS.ErrnoException) => {
    throw new KolmoError('output', `cannot create ${plotsFolder}: ${error.code ?? error}`, { cause: error });
  });
  for (const plot of rendered) await writeFileAtomic(plot.svgPath, plot.svg);
  const html = reportHtml({
    title: spec.title ?? options.specName ?? output.specName ?? 'kolmo report',
    specName: options.specName ?? output.specName,
    specFile: output.specFile && relative(resolve(output.folder), output.specFile), // no absolute paths in a report that travels
    outputFolder: basename(resolve(output.folder)),
    runs: output.runs,
    rows: output.rows.length,
    generated: options.now ?? new Date(),
    fits: spec.fits ? output.fits : undefined,
    plots: rendered.map<PagePlot>((plot) => ({
      id: plot.id,
      title: plot.title,
      caption: plot.caption,
      svg: plot.svg,
      href: relative(dirname(htmlPath), plot.svgPath),
      notes: plot.notes,
    })),
  });
  await writeFileAtomic(htmlPath, html);
  progress(total, `wrote ${htmlPath}`);
  return { html, htmlPath, plots: rendered.map(({ id, title, svgPath, notes }) => ({ id, title, svgPath, notes })) };
}

/** The Vega-Lite spec of one plot of the report section. */
export function plotVegaLite(plot: PlotSpec, context: PlotContext): Record<string, unknown> {
  switch (plot.kind) {
    case 'scaling':
      return scalingPlotSpec(plot, context);
    case 'structure-function':
      return structureFunctionPlotSpec(plot, context);
    case 'heatmap':
      return heatmapPlotSpec(plot, context);
    case 'lines':
      return linesPlotSpec(plot, context);
  }
}

/** The Vega-Lite spec of one plot for a run output read elsewhere (e.g. a notebook or a test). */
export function plotVegaLiteFor(output: RunOutput, plot: PlotSpec, index = 0): { spec: Record<string, unknown>; notes: string[] } {
  const id = plotIdOf(plot, index);
  const context: PlotContext = { output, path: `report.plots[${index}]`, name: `report.plots[${index}] (${plot.kind} "${id}")`, notes: [] };
  return { spec: plotVegaLite(plot, context), notes: context.notes };
}
