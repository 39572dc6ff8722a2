import { isAbsolute, relative } from 'node:path';
import { Command } from 'commander';
import { incompleteRunFolder, KolmoError, type SpecSource } from '@kolmo/core';
import { readReportSection, readRunOutput, renderReport, type RenderedReport, type ReportProgress, type ReportSpec } from '@kolmo/report';

export function reportCommand(): Command {
  return new Command('report')
    .description("render a run's report: plots/<id>.svg and a self-contained report.html, from the spec's `report:` section")
    .argument('<folder>', 'the output folder of a kolmo run')
    .option('--spec <file>', 'the spec whose report section to use (default: the spec file the run manifests name)')
    .option('--open-path', 'print only the absolute path of report.html (to open it: xdg-open "$(kolmo report <folder> --open-path)")')
    .option('-q, --quiet', 'print nothing')
    .action(async (folder: string, options: { spec?: string; openPath?: boolean; quiet?: boolean }) => {
      const incomplete = incompleteRunFolder(folder);
      if (incomplete) process.stderr.write(`warning: ${incomplete}\n`);
      const specFile = options.spec ?? readRunOutput(folder).specFile;
      const section = specFile ? readReportSection(specFile) : undefined;
      const notice = !specFile
        ? 'the run manifests name no spec file: the report has the fits table only (give one with --spec)'
        : !section
          ? `${specFile} has no report: section: the report has the fits table only`
          : undefined;
      const rendered = await renderWithProgress(folder, section?.report ?? {}, section?.source, !options.quiet && !options.openPath);
      if (options.openPath) process.stdout.write(`${rendered.htmlPath}\n`);
      else if (!options.quiet) process.stdout.write(formatRendered(rendered, notice));
    });
}

/** `kolmo run`'s last step when the spec has a report section; a failure says the run itself is complete. */
export async function renderRunReport(outDir: string, report: ReportSpec, source: SpecSource, specName: string, verbose: boolean): Promise<RenderedReport> {
  try {
    const rendered = await renderWithProgress(outDir, report, source, verbose, specName);
    if (verbose) process.stdout.write(formatRendered(rendered));
    return rendered;
  } catch (error) {
    if (!(error instanceof KolmoError)) throw error;
    throw new KolmoError(error.kind, `${error.message} (the run's outputs are complete in ${outDir}; fix the report section and run \`kolmo report ${outDir}\`)`, {
      details: error.details,
      cause: error,
    });
  }
}

async function renderWithProgress(folder: string, report: ReportSpec | Record<string, never>, source: SpecSource | undefined, verbose: boolean, specName?: string): Promise<RenderedReport> {
  const live = verbose && Boolean(process.stderr.isTTY);
  const onProgress = live ? (p: ReportProgress) => process.stderr.write(`\r\x1b[Kreport ${p.done}/${p.total}: ${p.message}`) : undefined;
  try {
    return await renderReport(folder, report, { source, specName, onProgress });
  } finally {
    if (live) process.stderr.write('\r\x1b[K');
  }
}

function formatRendered(rendered: RenderedReport, notice?: string): string {
  const lines = [`report: ${shown(rendered.htmlPath)}${rendered.plots.length ? ` (${rendered.plots.length} plot${rendered.plots.length === 1 ? '' : 's'})` : ''}`];
  if (notice) lines.push(`  note: ${notice}`);
  for (const plot of rendered.plots) {
    lines.push(`  ${shown(plot.svgPath)}`);
    for (const note of plot.notes) lines.push(`    ${note}`);
  }
  return `${lines.join('\n')}\n`;
}

/** A path relative to the working folder when it lies inside it, else absolute. */
function shown(path: string): string {
  const inside = relative(process.cwd(), path);
  return inside && !inside.startsWith('..') && !isAbsolute(inside) ? inside : path;
}
