import { relative } from 'node:path';
import type { SpecRunResult } from '@kolmo/core';

/** The readable end-of-run summary: per run, per predictor bits per byte/token/document, slots, timings, outputs. */
export function formatSummary(name: string, result: SpecRunResult): string {
  const lines: string[] = [];
  lines.push(`kolmo run ${name}: ${result.runs.length} run(s) in ${result.seconds.toFixed(2)} s → ${relative(process.cwd(), result.outDir) || '.'}`);
  for (const { label, runDir, result: run } of result.runs) {
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
  for (const fit of result.fits) lines.push('', `fit ${fit.kind}: ${JSON.stringify(fit.parameters)}${fit.warnings.length ? ` warnings: ${fit.warnings.join('; ')}` : ''}`);
  return `${lines.join('\n')}\n`;
}

function pad(text: string, width: number): string {
  return text.length >= width ? `${text} ` : text + ' '.repeat(width - text.length);
}
