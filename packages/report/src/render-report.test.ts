import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { KolmoError, type FitResult } from '@kolmo/core';
import { afterAll, describe, expect, it } from 'vitest';
import { formatNumber } from './axis-format.ts';
import { plotVegaLiteFor, renderReport, type ReportProgress } from './render-report.ts';
import { parseReportSpec, type PlotSpec, type ReportSpecInput } from './report-spec.ts';
import { readRunOutput } from './run-output.ts';
import { capacitySweep, capacitySweepRows, dataSweep, dataSweepRows, powerLawFit, writeRunOutput } from './testing/synthetic-run-output.ts';
import { layerItems, renderVegaLite, type RenderedView } from './vega-render.ts';

const views: RenderedView[] = [];
const folders: string[] = [];
afterAll(() => {
  views.forEach((v) => v.view.finalize());
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

function temporaryFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'kolmo-report-'));
  folders.push(folder);
  return folder;
}

/** Renders one plot of a report section the way renderReport does, keeping the view to inspect. */
async function renderPlot(folder: string, plot: unknown): Promise<RenderedView & { notes: string[] }> {
  const spec = parseReportSpec({ plots: [plot] });
  const { spec: vegaLite, notes } = plotVegaLiteFor(readRunOutput(folder), spec.plots[0] as PlotSpec);
  const rendered = await renderVegaLite(vegaLite);
  views.push(rendered);
  return { ...rendered, notes };
}

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

function standardError(values: number[]): number {
  const m = mean(values);
  return Math.sqrt(values.reduce((s, v) => s + (v - m) ** 2, 0) / (values.length - 1) / values.length);
}

/** The aria-labels that Vega writes from each mark's `description`, parsed into name → value. */
function describedMarks(svg: string, startsWith: string): Record<string, string>[] {
  const labels = [...svg.matchAll(/aria-label="([^"]*)"/g)].map((m) => m[1].replaceAll('&amp;', '&')).filter((l) => l.startsWith(startsWith));
  return labels.map((label) => Object.fromEntries(label.split('; ').map((pair) => pair.split('=') as [string, string])));
}

const relativelyClose = (actual: number, expected: number, tolerance = 1e-10) => expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tolerance * Math.abs(expected));

describe('scaling plot', () => {
  const folder = temporaryFolder();
  const rows = dataSweepRows();
  const fits: FitResult[] = [powerLawFit({ label: 'bayes', E: 60, A: 40, alpha: 0.45, intervals: { E: [59.9, 60.1], A: [36, 44], alpha: [0.43, 0.47] } })];
  writeRunOutput(folder, rows, fits);
  const plot = { kind: 'scaling', id: 'loss', where: { predictor: ['bayes-optimal', 'ngram'] }, fit: 'bayes', theory: { alpha: 0.5 } };

  it('draws one point per predictor and N at the mean over seeds, with ± one standard error', async () => {
    const { view, svg } = await renderPlot(folder, plot);
    const expected = new Map<string, number[]>();
    for (const row of rows) {
      if (row.predictor === 'truth') continue;
      const key = `${row.predictor}|${row.documents}`;
      expected.set(key, [...(expected.get(key) ?? []), row.bits_per_document as number]);
    }
    const points = layerItems(view, 'points');
    expect(points.length).toBe(2 * dataSweep.documents.length);
    const x = view.scale('x') as (v: number) => number;
    const y = view.scale('y') as (v: number) => number;
    for (const point of points) {
      const values = expected.get(`${point.datum.series}|${point.datum.x}`)!;
      expect(values.length).toBe(dataSweep.seeds.length);
      relativelyClose(point.datum.y as number, mean(values));
      relativelyClose(point.datum.standardError as number, standardError(values));
      expect(point.x).toBeCloseTo(x(point.datum.x as number), 6);
      expect(point.y).toBeCloseTo(y(mean(values)), 6);
    }
    const bars = layerItems(view, 'errorbars');
    expect(bars.length).toBe(points.length);
    for (const bar of bars) {
      const values = expected.get(`${bar.datum.series}|${bar.datum.x}`)!;
      relativelyClose(bar.datum.high as number, mean(values) + standardError(values));
    }

    // The SVG itself carries the same points: one described mark each, with the values of the metrics table.
    const described = describedMarks(svg, 'predictor=');
    expect(described.length).toBe(points.length);
    for (const mark of described) {
      const values = expected.get(`${mark.predictor}|${Number(mark.documents)}`)!;
      relativelyClose(Number(mark.bits_per_document), mean(values));
      expect(Number(mark.n)).toBe(3);
    }
  });

  it('draws the named fit with the envelope of its intervals, a theory line anchored on it, and both exponents in the subtitle', async () => {
    const { view, svg, notes } = await renderPlot(folder, plot);
    const curve = layerItems(view, 'fit').map((item) => item.datum as { x: number; y: number });
    expect(curve.length).toBe(80);
    expect(curve[0].x).toBe(100);
    expect(curve.at(-1)!.x).toBe(100000);
    for (const { x, y } of curve) relativelyClose(y, 60 + 40 * x ** -0.45, 1e-12);
    const band = layerItems(view, 'band').map((item) => item.datum as { x: number; low: number; high: number });
    expect(band.length).toBe(80);
    for (const { x, low, high } of band) {
      relativelyClose(low, 59.9 + 36 * x ** -0.47, 1e-12);
      relativelyClose(high, 60.1 + 44 * x ** -0.43, 1e-12);
    }
    // theory: E + c x^−(1 − α), through the fitted curve at the geometric centre of the x range
    const centre = Math.sqrt(100 * 100000);
    const c = 40 * centre ** -0.45 * centre ** 0.5;
    const theory = layerItems(view, 'theory').map((item) => item.datum as { x: number; y: number });
    expect(theory.length).toBe(80);
    for (const { x, y } of theory) relativelyClose(y, 60 + c * x ** -0.5, 1e-12);
    // The synthetic fit resampled 3 seeds: its brackets are called a range of runs, not a 95% interval.
    expect(svg).toContain('fit bayes: fitted exponent alpha = 0.45 [0.43, 0.47] (range of 3 runs)');
    expect(svg).toContain('theory: exponent 0.5 = 1 − α with α = 0.5');
    expect(svg).toContain('training documents N');
    expect(svg).toContain('loss (bits per document)');
    expect(notes.join(' ')).toMatch(/corners of its parameter intervals/);
  });

  it('anchors each theory line on its own series, draws it in that colour, and says when a fitted range excludes it', async () => {
    const twoTheories = { ...plot, theory: [{ exponent: 0.5, series: 'bayes-optimal', why: 'finite-size bias (theory §4)' }, { exponent: 0.225, series: 'ngram' }] };
    const { view, svg, notes } = await renderPlot(folder, twoTheories);
    const theory = layerItems(view, 'theory').map((item) => item.datum as { x: number; y: number; series: string; curve: string });
    const bayes = theory.filter((t) => t.series === 'bayes-optimal');
    const ngram = theory.filter((t) => t.series === 'ngram');
    expect(bayes.length).toBe(80);
    expect(ngram.length).toBe(80);
    // bayes: through its own fit at the geometric centre of its points; E from that fit.
    const points = layerItems(view, 'points').map((item) => item.datum as { series: string; x: number; y: number });
    const bayesX = points.filter((p) => p.series === 'bayes-optimal').map((p) => p.x);
    const centre = Math.exp(mean(bayesX.map(Math.log)));
    const c = 40 * centre ** -0.45 * centre ** 0.5;
    for (const { x, y } of bayes) relativelyClose(y, 60 + c * x ** -0.5, 1e-12);
    // ngram (no fit of its own): through its mean point nearest the centre (N = 3162), on the same E.
    const ngramPoint = points.find((p) => p.series === 'ngram' && p.x === 3162)!;
    const at = ngram.reduce((best, t) => (Math.abs(Math.log(t.x / 3162)) < Math.abs(Math.log(best.x / 3162)) ? t : best));
    relativelyClose(at.y, 60 + (ngramPoint.y - 60) * (3162 / at.x) ** 0.225, 1e-9);
    expect(new Set(ngram.map((t) => t.curve))).toEqual(new Set(['predictor = ngram: theory: ∝ x^−0.225']));
    // Each theory line in its series' colour (tableau10: bayes-optimal first, ngram second), and so is its swatch.
    expect(svg).toMatch(/aria-label="x: 100; y: [\d.]+; series: ngram; curve: predictor = ngram[^"]*"[^>]*stroke="#f58518"/);
    expect(svg).toMatch(/d="M-11.18,0L11.18,0" stroke="#f58518" stroke-width="2" stroke-dasharray="6,4"/);
    expect(svg).toMatch(/d="M-11.18,0L11.18,0" stroke="#4c78a8" stroke-width="2" stroke-dasharray="1,0"/);
    // The fit's range [0.43, 0.47] excludes 0.5: said, with the spec's reason.
    expect(notes).toContain('fit bayes: its range of 3 runs [0.43, 0.47] of alpha excludes the theory exponent 0.5 — finite-size bias (theory §4)');
  });

  it('rings a series that coincides with a later one at every x, and says so', async () => {
    const twin = temporaryFolder();
    writeRunOutput(twin, [...rows, ...rows.filter((r) => r.predictor === 'truth').map((r) => ({ ...r, predictor: 'oracle' }))], fits);
    const { view, notes } = await renderPlot(twin, { kind: 'scaling', id: 'loss', where: { predictor: ['oracle', 'truth', 'bayes-optimal'] } });
    const rings = layerItems(view, 'coincident').map((item) => item.datum as { series: string });
    expect(rings.length).toBe(dataSweep.documents.length);
    expect(new Set(rings.map((r) => r.series))).toEqual(new Set(['oracle']));
    expect(notes).toContain('oracle: the same values as truth at every training documents N; drawn as rings around its points');
    const { view: plain } = await renderPlot(folder, plot);
    expect(layerItems(plain, 'coincident')).toEqual([]);
  });

  it('plots the excess loss y − E against the same run’s truth row, and the fitted curve without its E', async () => {
    const { view, svg } = await renderPlot(folder, { ...plot, excess: { predictor: 'truth' }, theory: undefined });
    const truth = new Map(rows.filter((r) => r.predictor === 'truth').map((r) => [r.run, r.bits_per_document as number]));
    const points = layerItems(view, 'points');
    expect(points.length).toBe(14);
    for (const point of points) {
      const excess = rows
        .filter((r) => r.predictor === point.datum.series && r.documents === point.datum.x)
        .map((r) => (r.bits_per_document as number) - truth.get(r.run)!);
      relativelyClose(point.datum.y as number, mean(excess));
    }
    for (const item of layerItems(view, 'fit')) relativelyClose(item.datum.y as number, 40 * (item.datum.x as number) ** -0.45, 1e-12);
    expect(svg).toContain('loss (bits per document) − E');
  });

  it('draws a joint law as one curve per value of its other variable, in that group’s colour', async () => {
    const jointFolder = temporaryFolder();
    const jointRows = [100, 1000, 10000].flatMap((documents) =>
      [1e3, 1e4].map((capacity) => ({ run: `documents=${documents},capacity=${capacity}`, documents, capacity, predictor: 'capacity-limited', bits: 5 + 10 * documents ** -0.3 + 20 * capacity ** -0.6 })),
    );
    const joint: FitResult = { kind: 'joint-law', parameters: { E: 5, A: 10, B: 20, alpha: 0.3, beta: 0.6 }, warnings: [], x: 'documents', z: 'capacity', y: 'bits', where: {} };
    writeRunOutput(jointFolder, jointRows, [joint]);
    const { view } = await renderPlot(jointFolder, { kind: 'scaling', x: 'documents', y: 'bits', color: 'capacity', fit: 0 });
    const curve = layerItems(view, 'fit');
    expect(new Set(curve.map((item) => item.datum.series))).toEqual(new Set(['1000', '10000']));
    for (const { datum } of curve) relativelyClose(datum.y as number, 5 + 10 * (datum.x as number) ** -0.3 + 20 * Number(datum.series) ** -0.6, 1e-12);
    expect(layerItems(view, 'points').length).toBe(6);
  });
});

describe('structure-function plot', () => {
  it('draws C, L_C(X) and C + L_C(X) per capacity, marks the MDL minimum and the prequential code', async () => {
    const folder = temporaryFolder();
    writeRunOutput(folder, capacitySweepRows());
    const { view, svg } = await renderPlot(folder, { kind: 'structure-function', where: { predictor: 'capacity-limited' }, prequential: { where: { predictor: 'bayes-optimal' } } });
    const points = layerItems(view, 'points');
    expect(points.length).toBe(3 * capacitySweep.capacities.length);
    for (const { datum } of points) {
      const C = datum.x as number;
      const data = 2e5 + 1e9 / C; // the two seeds' ±100 cancel in the mean
      const expected = { 'model bits C': C, 'data bits L_C(X)': data, 'two-part total C + L_C(X)': C + data }[datum.series as string]!;
      relativelyClose(datum.y as number, expected);
    }
    const [minimum] = layerItems(view, 'minimum');
    expect(minimum.datum.x).toBe(capacitySweep.minimumAt);
    relativelyClose(minimum.datum.y as number, 30000 + 2e5 + 1e9 / 30000);
    const prequential = layerItems(view, 'prequential');
    expect(prequential.map((p) => p.datum.y)).toEqual([2.1e5, 2.1e5]);
    expect(svg).toContain('MDL minimum at C = 30000');
    // The marker's own label: the best model size and its description length.
    expect(svg).toContain(`MDL minimum: C = 30000 bits, C + L_C(X) = ${formatNumber(30000 + 2e5 + 1e9 / 30000)} bits`);
    expect(svg).toContain('capacity C (bits)');
  });

  it('takes one predictor per capacity (C=1000, C=3162, … as separate predictors)', async () => {
    const folder = temporaryFolder();
    const rows = capacitySweepRows().filter((row) => row.predictor === 'capacity-limited').map((row) => ({ ...row, predictor: `C=${row.capacity}` }));
    writeRunOutput(folder, rows);
    const { view } = await renderPlot(folder, { kind: 'structure-function' });
    expect(layerItems(view, 'minimum')[0].datum.x).toBe(capacitySweep.minimumAt);
  });

  it('refuses rows of several predictors, which would mix structure functions', async () => {
    const folder = temporaryFolder();
    writeRunOutput(folder, capacitySweepRows());
    await expect(renderPlot(folder, { kind: 'structure-function' })).rejects.toThrow(/several predictors \(capacity-limited, bayes-optimal\)/);
  });
});

/** Fraction acquired per frequency bin and N, two seeds per cell, as an Arrow IPC file and as JSON rows. */
function acquisitionTable(): { bins: number[]; documents: number[]; seed: number[]; fraction: number[] } {
  const table = { bins: [] as number[], documents: [] as number[], seed: [] as number[], fraction: [] as number[] };
  for (let bin = 0; bin < 6; bin++) {
    for (const n of [100, 1000, 10000, 100000]) {
      for (const seed of [1, 2]) {
        table.bins.push(bin);
        table.documents.push(n);
        table.seed.push(seed);
        table.fraction.push(Math.min(1, (n * 10 ** -bin) / 50 + 0.01 * seed));
      }
    }
  }
  return table;
}

describe('heatmap plot', () => {
  it('colours one cell per bin and N with the mean of the rows there, from an Arrow IPC file or JSON rows', async () => {
    const folder = temporaryFolder();
    writeRunOutput(folder, dataSweepRows());
    const t = acquisitionTable();
    writeFileSync(
      join(folder, 'acquisition.arrow'),
      tableToIPC(tableFromArrays({ frequency_bin: Int32Array.from(t.bins), documents: Float64Array.from(t.documents), seed: Int32Array.from(t.seed), fraction_acquired: Float64Array.from(t.fraction) }), 'file'),
    );
    writeFileSync(join(folder, 'acquisition.json'), JSON.stringify({ rows: t.bins.map((bin, i) => ({ frequency_bin: bin, documents: t.documents[i], fraction_acquired: t.fraction[i] })) }));
    for (const file of ['acquisition.arrow', 'acquisition.json']) {
      const { view, svg } = await renderPlot(folder, { kind: 'heatmap', source: { file }, x: 'documents', y: 'frequency_bin', value: 'fraction_acquired', domain: [0, 1], labels: true });
      const cells = layerItems(view, 'cells');
      expect(cells.length).toBe(6 * 4);
      for (const { datum } of cells) {
        const values = t.fraction.filter((_, i) => String(t.bins[i]) === datum.y && String(t.documents[i]) === datum.x);
        expect(values.length).toBe(2);
        relativelyClose(datum.value as number, mean(values));
      }
      expect(layerItems(view, 'labels').length).toBe(24);
      expect(describedMarks(svg, 'documents=').length).toBe(24);
    }
  });
});

describe('lines plot', () => {
  it('draws each y column as a line over x, averaged over seeds', async () => {
    const folder = temporaryFolder();
    writeRunOutput(folder, dataSweepRows());
    const rows = [0, 1, 2, 3, 4].flatMap((bin) => [1, 2].map((seed) => ({ frequency_bin: bin, seed, accuracy: 0.9 - 0.15 * bin + 0.01 * seed, hallucination_rate: 0.05 + 0.15 * bin })));
    writeFileSync(join(folder, 'hallucination.json'), JSON.stringify(rows));
    const { view } = await renderPlot(folder, { kind: 'lines', source: { file: 'hallucination.json' }, x: 'frequency_bin', y: ['accuracy', 'hallucination_rate'] });
    const points = layerItems(view, 'points');
    expect(points.length).toBe(10);
    for (const { datum } of points) {
      const bin = datum.x as number;
      relativelyClose(datum.y as number, datum.series === 'accuracy' ? 0.9 - 0.15 * bin + 0.015 : 0.05 + 0.15 * bin);
    }
    expect(layerItems(view, 'errorbars').length).toBe(5); // accuracy varies over seeds, the hallucination rate does not
  });
});

describe('renderReport', () => {
  const report: ReportSpecInput = {
    title: 'Synthetic scaling report',
    plots: [
      { kind: 'scaling', id: 'loss', where: { predictor: ['bayes-optimal', 'ngram'] }, fit: 'bayes', theory: { alpha: 0.5 }, caption: 'Loss against N.' },
      { kind: 'structure-function', id: 'structure', where: { predictor: 'capacity-limited' } },
      { kind: 'lines', x: 'documents', y: 'knowledge_bits_per_document', color: 'predictor', where: { predictor: ['bayes-optimal', 'ngram'] }, xScale: 'log' },
    ],
  };

  function runFolder(): string {
    const folder = temporaryFolder();
    const capacityRows = capacitySweepRows().filter((r) => r.predictor === 'capacity-limited');
    writeRunOutput(folder, [...dataSweepRows(), ...capacityRows], [{ ...powerLawFit({ label: 'bayes', E: 60, A: 40, alpha: 0.45, intervals: { A: [36, 44], alpha: [0.43, 0.47] } }), residuals: 'log' }]);
    return folder;
  }

  it('writes plots/<id>.svg per plot and one self-contained report.html with the fits table', async () => {
    const folder = runFolder();
    const progress: ReportProgress[] = [];
    const result = await renderReport(folder, report, { onProgress: (p) => progress.push(p), now: new Date('2025-06-01T12:00:00Z') });
    expect(result.htmlPath).toBe(join(folder, 'report.html'));
    expect(result.plots.map((p) => p.id)).toEqual(['loss', 'structure', 'lines-3']);
    for (const plot of result.plots) {
      expect(plot.svgPath).toBe(join(folder, 'plots', `${plot.id}.svg`));
      expect(readFileSync(plot.svgPath, 'utf8')).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    }
    const html = readFileSync(result.htmlPath, 'utf8');
    expect(html).toBe(result.html);
    expect(html.match(/<svg /g)!.length).toBe(3);
    // nothing to fetch: no scripts, stylesheets or images from elsewhere
    expect(html).not.toMatch(/<script|<link|<img|src="http|url\(http/);
    expect(html).toContain('<h1>Synthetic scaling report</h1>');
    expect(html).toContain('run started 2025-01-02 03:04 UTC');
    expect(html).toContain('report made 2025-06-01 12:00 UTC');
    expect(html).toContain('bits_per_document = E + A·documents^−alpha');
    expect(html).toContain('alpha = 0.45 <span class="muted">[0.43, 0.47]</span>');
    expect(html).toContain('bootstrap over only 3 groups');
    // The residual scale is shown, and brackets from 3 resampled runs are not called a 95% interval.
    expect(html).toContain('residuals: log');
    expect(html).toContain('1000 bootstrap resamples over groups (3); brackets: about the range of 3 runs, not a 95% interval');
    expect(html).toContain('Loss against N.');
    // inline SVGs get their own ids, so clip paths do not cross plots
    const ids = [...html.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(progress.map((p) => p.done)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(progress.every((p) => p.total === 5)).toBe(true);
    expect(readdirSync(folder).filter((f) => f.includes('.partial'))).toEqual([]);
  });

  it('names the plot and what is wrong, before writing anything', async () => {
    const folder = runFolder();
    const fail = (plots: unknown[]) => renderReport(folder, { plots });
    await expect(fail([{ kind: 'scaling', where: { predictor: 'ngram' }, fit: 'nope' }])).rejects.toThrow('report.plots[0].fit: no fit "nope" in fits.json; the fits are 0: "bayes" power-law');
    await expect(fail([{ kind: 'lines', where: { predictor: 'ngram' }, x: 'documents', y: 'bits_per_doc' }])).rejects.toThrow(/^report\.plots\[0\] \(lines "lines-1"\): y column "bits_per_doc" is not in the table .*bits_per_document/);
    await expect(fail([{ kind: 'scaling', where: { predictor: 'gpt' } }])).rejects.toThrow(/report\.plots\[0\] \(scaling "scaling-1"\): no rows \(of \d+\) match where \{"predictor":"gpt"\}; the table has predictor ∈ \{bayes-optimal, ngram, truth, capacity-limited\}/);
    await expect(fail([{ kind: 'heatmap', source: { file: 'missing.arrow' }, x: 'a', y: 'b', value: 'c' }])).rejects.toThrow(/cannot read the table missing\.arrow/);
    const error = await fail([{ kind: 'scaling' }, { kind: 'scatter' }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KolmoError);
    expect((error as KolmoError).kind).toBe('invalidSpec');
    expect((error as KolmoError).message).toBe('report.plots[1].kind: unknown plot kind "scatter"; known kinds: scaling, structure-function, heatmap, lines');
    expect(existsSync(join(folder, 'report.html'))).toBe(false);
    expect(existsSync(join(folder, 'plots'))).toBe(false);
  });

  it('says when the folder is not a run’s output', async () => {
    await expect(renderReport(temporaryFolder(), {})).rejects.toThrow(/has no metrics-table.json: is it the output folder of a finished kolmo run\?/);
    await expect(renderReport('/nonexistent/kolmo-run', {})).rejects.toThrow(/is not a folder/);
  });
});
