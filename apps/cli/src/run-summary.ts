import { relative } from 'node:path';
import type { FitResult, SpecRunResult } from '@kolmo/core';

/** The readable end-of-run summary: per run, per predictor bits per byte/token/document, slots, timings, outputs. */
export function formatSummary(name: string, result: SpecRunResult): string {
  const lines: string[] = [];
  lines.push(`kolmo run ${name}: ${result.runs.length} run(s) in ${result.seconds.toFixed(2)} s → ${relative(process.cwd(), result.outDir) || '.'}`);
  if (result.runs.length > 1) lines.push(...compactRuns(result));
  for (const { label, runDir, result: run } of result.runs.length > 1 ? [] : result.runs) {
    const rate = run.tokens / Math.max(run.seconds.stream, 1e-9);
    lines.push('');
    lines.push(
      `${label}: ${run.documents.toLocaleString('en')} documents, ${run.bytes.toLocaleString('en')} bytes, ${run.tokens.toLocaleString('en')} tokens` +
        ` (${run.seconds.stream.toFixed(2)} s, ${(rate / 1e6).toFixed(2)} M tokens/s)`,
    );
    const rows = Object.entries(run.predictors).map(([predictor, p]) => ({ predictor, bits: p.bits, slots: p.slots, coded: p.codedBytes }));
    if (run.truth) rows.push({ predictor: 'truth (oracle)', bits: run.truth.bits, slots: run.truth.slots, coded: undefined });
    if (rows.length) {
      lines.push(`  ${pad('predictor', 22)}${pad('bits/byte', 12)}${pad('bits/token', 12)}${pad('bits/doc', 14)}${pad('total bits', 16)}coded bytes`);
      for (const row of rows) {
        lines.push(
          `  ${pad(row.predictor, 22)}${pad((row.bits / Math.max(run.bytes, 1)).toFixed(4), 12)}${pad((row.bits / Math.max(run.tokens, 1)).toFixed(4), 12)}` +
            `${pad((row.bits / Math.max(run.documents, 1)).toFixed(2), 14)}${pad(row.bits.toFixed(1), 16)}${row.coded ?? '—'}`,
        );
        const slots = Object.entries(row.slots).filter(([slot]) => slot !== 'text');
        if (slots.length) {
          lines.push(`  ${' '.repeat(22)}${slots.map(([slot, s]) => `${slot} ${(s.bits / Math.max(run.documents, 1)).toFixed(2)} b/doc`).join(', ')}`);
        }
        const test = row.predictor === 'truth (oracle)' ? run.test?.truth : run.predictors[row.predictor]?.test;
        if (test && run.test) {
          const perDoc = (bits: number) => (bits / Math.max(run.test!.documents, 1)).toFixed(2);
          const testSlots = Object.entries(test.slots).filter(([slot]) => slot !== 'text');
          lines.push(
            `  ${' '.repeat(22)}held-out (${run.test.documents} docs): ${perDoc(test.bits)} b/doc, ${(test.bits / Math.max(run.test.bytes, 1)).toFixed(4)} b/byte` +
              (testSlots.length ? `; ${testSlots.map(([slot, s]) => `${slot} ${perDoc(s.bits)}`).join(', ')}` : ''),
          );
        }
      }
    }
    const stats = Object.entries(run.generator);
    if (stats.length) lines.push(`  generator: ${stats.map(([k, v]) => `${k} ${Number.isInteger(v) ? v : v.toFixed(4)}`).join(', ')}`);
    lines.push(`  files: ${relative(process.cwd(), runDir) || '.'}/{${['manifest.json', 'metrics.json', ...run.outputs.map((o) => relative(runDir, o))].join(', ')}}`);
  }
  if (result.fits.length) lines.push('');
  for (const fit of result.fits) lines.push(...formatFit(fit));
  return `${lines.join('\n')}\n`;
}

/** A sweep: one line per run (documents, tokens, seconds, each predictor's bits per token), not a page per run. */
function compactRuns(result: SpecRunResult): string[] {
  const predictors = Object.keys(result.runs[0].result.predictors);
  const truth = result.runs.some((r) => r.result.truth);
  const labelWidth = Math.max(...result.runs.map((r) => r.label.length), 3) + 2;
  const columns = [...predictors, ...(truth ? ['truth'] : [])];
  const lines = ['', `${pad('run', labelWidth)}${pad('documents', 12)}${pad('tokens', 14)}${pad('seconds', 9)}${columns.map((c) => pad(c, Math.max(c.length + 2, 10))).join('')}(bits/token)`];
  for (const { label, result: run } of result.runs) {
    const bits = columns.map((c) => {
      const total = c === 'truth' && truth ? run.truth?.bits : run.predictors[c]?.bits;
      return pad(total === undefined ? '—' : (total / Math.max(run.tokens, 1)).toFixed(4), Math.max(c.length + 2, 10));
    });
    lines.push(`${pad(label, labelWidth)}${pad(run.documents.toLocaleString('en'), 12)}${pad(run.tokens.toLocaleString('en'), 14)}${pad((run.seconds.build + run.seconds.stream).toFixed(2), 9)}${bits.join('')}`);
  }
  lines.push(`per-run files: <run>/{manifest.json, metrics.json${result.runs[0].result.outputs.length ? `, ${result.runs[0].result.outputs.map((o) => relative(result.runs[0].runDir, o)).join(', ')}` : ''}}; all rows: metrics-table.json`);
  return lines;
}

/** A fit as a person reads it: its label, each parameter with its interval, warnings on their own lines. */
export function formatFit(fit: FitResult): string[] {
  const name = typeof fit.label === 'string' ? `${fit.kind} "${fit.label}"` : fit.kind;
  const target = typeof fit.y === 'string' ? ` (${fit.y}${typeof fit.x === 'string' ? ` vs ${fit.x}` : ''})` : '';
  const parameters = Object.entries(fit.parameters).map(([key, value]) => {
    const interval = fit.intervals?.[key];
    return `${key} = ${formatNumber(value)}${interval ? ` [${formatNumber(interval[0])}, ${formatNumber(interval[1])}]` : ''}`;
  });
  return [`fit ${name}${target}: ${parameters.join(', ')}`, ...fit.warnings.map((w) => `  warning: ${w}`)];
}

function formatNumber(value: number): string {
  return Math.abs(value) >= 1e5 || (Math.abs(value) < 1e-3 && value !== 0) ? value.toExponential(3) : Number(value.toPrecision(4)).toString();
}

function pad(text: string, width: number): string {
  return text.length >= width ? `${text} ` : text + ' '.repeat(width - text.length);
}
