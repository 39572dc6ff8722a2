import type { FitResult } from '@kolmo/core';
import { formatNumber } from './axis-format.ts';
import { fitName } from './fit-curve.ts';
import type { RunSummary } from './run-output.ts';

/** One plot as the page shows it. */
export interface PagePlot {
  readonly id: string;
  readonly title: string;
  readonly caption?: string;
  readonly svg: string;
  /** The SVG file, relative to the HTML. */
  readonly href: string;
  readonly notes: readonly string[];
}

export interface ReportPage {
  readonly title: string;
  readonly specName?: string;
  readonly specFile?: string;
  readonly outputFolder: string;
  readonly runs: readonly RunSummary[];
  readonly rows: number;
  readonly generated: Date;
  /** Undefined: no fits table. */
  readonly fits?: readonly FitResult[];
  readonly plots: readonly PagePlot[];
}

/** The report as one self-contained HTML page: styles and SVGs inline, nothing fetched to view it. */
export function reportHtml(page: ReportPage): string {
  const started = page.runs.map((run) => run.started).filter((s): s is string => typeof s === 'string').sort()[0];
  const meta = [
    page.specName ? `spec <b>${escapeHtml(page.specName)}</b>${page.specFile ? ` <span class="muted">(${escapeHtml(page.specFile)})</span>` : ''}` : undefined,
    `${page.runs.length || 'no'} run${page.runs.length === 1 ? '' : 's'}, ${page.rows} metrics rows`,
    started ? `run started ${escapeHtml(formatDate(new Date(started)))}` : undefined,
    `report made ${escapeHtml(formatDate(page.generated))}`,
  ].filter(Boolean);
  const body = [
    `<header><h1>${escapeHtml(page.title)}</h1><p class="meta">${meta.join(' · ')}</p><p class="meta muted">output folder ${escapeHtml(page.outputFolder)}</p></header>`,
    page.plots.length ? `<nav>${page.plots.map((plot) => `<a href="#${escapeHtml(plot.id)}">${escapeHtml(plot.title)}</a>`).join('')}</nav>` : '',
    page.fits ? fitsSection(page.fits) : '',
    ...page.plots.map(plotSection),
    page.runs.length ? runsSection(page.runs) : '',
    `<footer>made by <code>kolmo report</code></footer>`,
  ];
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)}</title>
<style>${styles}</style>
</head>
<body>
${body.filter(Boolean).join('\n')}
</body>
</html>
`;
}

const styles = `
body { font: 15px/1.45 Helvetica, Arial, sans-serif; color: #222; margin: 0 auto; max-width: 1180px; padding: 24px 28px 40px; }
h1 { font-size: 26px; margin: 0 0 6px; }
h2 { font-size: 19px; margin: 34px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
.meta { margin: 2px 0; }
.muted { color: #777; font-size: 13px; }
nav { margin: 14px 0 4px; display: flex; flex-wrap: wrap; gap: 6px 14px; font-size: 14px; }
nav a { color: #2b5d9b; text-decoration: none; }
table { border-collapse: collapse; font-size: 13px; width: 100%; }
th, td { border: 1px solid #ddd; padding: 5px 8px; vertical-align: top; text-align: left; }
th { background: #f5f5f5; font-weight: 600; }
td.num { font-variant-numeric: tabular-nums; white-space: nowrap; }
td.num .wrap { white-space: normal; }
.warning { color: #8a4b00; background: #fff5e0; border-left: 3px solid #e0a030; padding: 2px 6px; margin: 2px 0; }
.ok { color: #3b7a3b; }
section.plot { margin-top: 30px; border-top: 1px solid #ddd; padding-top: 12px; }
figure { margin: 0; }
figure svg { max-width: 100%; height: auto; }
figcaption { font-size: 14px; margin-top: 4px; }
figcaption ul { margin: 4px 0 0; padding-left: 20px; color: #555; font-size: 13px; }
.file { font-size: 12px; }
code { font-size: 13px; }
details summary { cursor: pointer; font-weight: 600; }
footer { margin-top: 40px; color: #999; font-size: 12px; }
`;

function fitsSection(fits: readonly FitResult[]): string {
  if (fits.length === 0) return `<section id="fits"><h2>Fits</h2><p class="muted">The run has no fits (no <code>fit:</code> section, or no fits.json).</p></section>`;
  const rows = fits.map((fit, index) => {
    const goodness = fit.goodness as { rSquared?: number; rmseLog?: number } | undefined;
    const fixed = Array.isArray(fit.fixed) ? (fit.fixed as string[]) : [];
    const level = (fit.bootstrap as { level?: number; resamples?: number; failures?: number; over?: string; groups?: number; interval?: string } | undefined) ?? undefined;
    // A bootstrap over ≤ 3 runs gives little more than their range: called so, not a 95% interval.
    const fewRuns = level?.over === 'groups' && level.groups !== undefined && level.groups <= 3 ? level.groups : undefined;
    const parameters = Object.entries(fit.parameters)
      .map(([name, value]) => {
        const interval = fit.intervals?.[name];
        const note = fixed.includes(name) ? ' <span class="muted">(fixed)</span>' : '';
        return `${escapeHtml(name)} = ${formatNumber(value)}${interval ? ` <span class="muted">[${formatNumber(interval[0])}, ${formatNumber(interval[1])}]</span>` : ''}${note}`;
      })
      .join('<br>');
    const where = fit.where && Object.keys(fit.where as object).length ? `<br><span class="muted">where ${escapeHtml(JSON.stringify(fit.where))}</span>` : '';
    const warnings = fit.warnings.length ? fit.warnings.map((w) => `<div class="warning">${escapeHtml(w)}</div>`).join('') : '<span class="ok">none</span>';
    const what = fewRuns !== undefined
      ? `brackets: about the range of ${fewRuns} runs, not a ${formatNumber((level!.level ?? 0.95) * 100, 3)}% interval`
      : `${formatNumber((level?.level ?? 0.95) * 100, 3)}% ${escapeHtml(level?.interval ?? 'percentile')} intervals`;
    const bootstrap = level?.resamples
      ? `<br><span class="muted wrap">${level.resamples} bootstrap resamples over ${escapeHtml(level.over ?? 'points')}${level.groups !== undefined ? ` (${level.groups})` : ''}; ${what}${level.failures ? `, ${level.failures} failed` : ''}</span>`
      : '';
    const residuals = typeof fit.residuals === 'string' ? `<br><span class="muted">residuals: ${escapeHtml(fit.residuals)}</span>` : '';
    return `<tr><td>${escapeHtml(fitName(fit, index))}</td><td>${escapeHtml(lawText(fit))}${where}${residuals}</td><td class="num">${parameters}${bootstrap}</td><td class="num">${
      goodness ? `R² ${formatNumber(goodness.rSquared ?? NaN)}<br>log-RMSE ${formatNumber(goodness.rmseLog ?? NaN)}` : ''
    }${typeof fit.n === 'number' ? `<br>${fit.n} points` : ''}</td><td>${warnings}</td></tr>`;
  });
  return `<section id="fits"><h2>Fits</h2><table><thead><tr><th>fit</th><th>law</th><th>parameters [interval]</th><th>goodness</th><th>warnings</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
}

/** The fitted law as a formula in the metrics table's column names. */
function lawText(fit: FitResult): string {
  const x = String(fit.x ?? 'x');
  const y = String(fit.y ?? 'y');
  if (fit.kind === 'power-law') return `${y} = E + A·${x}^−alpha${fit.form === 'two-term' ? ` + B/${x}` : ''}`;
  if (fit.kind === 'joint-law') return `${y} = E + A·${x}^−alpha + B·${String(fit.z ?? 'z')}^−beta${fit.method ? ` (${String(fit.method)})` : ''}`;
  return fit.kind;
}

function plotSection(plot: PagePlot): string {
  const notes = plot.notes.length ? `<ul>${plot.notes.map((note) => `<li>${escapeHtml(note)}</li>`).join('')}</ul>` : '';
  // The SVG carries its own title (it also stands alone as plots/<id>.svg), so the section has no heading.
  return `<section id="${escapeHtml(plot.id)}" class="plot"><figure>${uniqueSvgIds(plot.svg, plot.id)}<figcaption>${
    plot.caption ? `${escapeHtml(plot.caption)} ` : ''
  }<a class="file" href="${escapeHtml(plot.href)}">${escapeHtml(plot.href)}</a>${notes}</figcaption></figure></section>`;
}

function runsSection(runs: readonly RunSummary[]): string {
  const variables = [...new Set(runs.flatMap((run) => Object.keys(run.point)))];
  const rows = runs.map(
    (run) =>
      `<tr><td>${escapeHtml(run.label || '(single run)')}</td>${variables.map((v) => `<td class="num">${escapeHtml(String(run.point[v] ?? ''))}</td>`).join('')}<td class="num">${run.seed ?? ''}</td><td class="num">${
        run.seconds === undefined ? '' : formatNumber(run.seconds, 3)
      }</td></tr>`,
  );
  return `<section id="runs"><h2>Runs</h2><details${runs.length <= 12 ? ' open' : ''}><summary>${runs.length} run${runs.length === 1 ? '' : 's'}</summary><table><thead><tr><th>run</th>${variables
    .map((v) => `<th>${escapeHtml(v)}</th>`)
    .join('')}<th>seed</th><th>seconds</th></tr></thead><tbody>${rows.join('')}</tbody></table></details></section>`;
}

/** Inline SVGs share the page's id space: prefix each SVG's ids (clip paths, gradients) with its plot's id. */
export function uniqueSvgIds(svg: string, prefix: string): string {
  const safe = prefix.replace(/[^A-Za-z0-9_-]/g, '_');
  return svg.replace(/\bid="([^"]+)"/g, `id="${safe}-$1"`).replace(/url\(#([^)]+)\)/g, `url(#${safe}-$1)`).replace(/href="#([^"]+)"/g, `href="#${safe}-$1"`);
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function formatDate(date: Date): string {
  return Number.isNaN(date.getTime()) ? 'unknown' : `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
