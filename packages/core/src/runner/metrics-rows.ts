import type { MetricsTable } from '../contracts/fitter.ts';
import type { SweepPoint } from '../spec/sweep.ts';
import type { RunResult } from './run-pipeline.ts';

/**
 * The flat metrics table: one row per run and predictor, sweep variables as columns. This is what the
 * fitter reads (`x: documents, y: bits_per_document`), so column names are part of the contract.
 */
export function metricsRows(label: string, point: SweepPoint, result: RunResult): MetricsTable {
  const rows: Record<string, number | string>[] = [];
  const base = { run: label, ...point, documents: result.documents, tokens: result.tokens, bytes: result.bytes };
  const entries = Object.entries(result.predictors).map(([name, p]) => [name, p.bits, p.slots, p.codedBytes] as const);
  if (result.truth) entries.push(['truth', result.truth.bits, result.truth.slots, undefined]);
  for (const [predictor, bits, slots, codedBytes] of entries) {
    const row: Record<string, number | string> = {
      ...base,
      predictor,
      bits,
      bits_per_token: bits / Math.max(result.tokens, 1),
      bits_per_byte: bits / Math.max(result.bytes, 1),
      bits_per_document: bits / Math.max(result.documents, 1),
    };
    for (const [slot, { tokens, bits: slotBits }] of Object.entries(slots)) {
      row[`${slot}_tokens`] = tokens;
      row[`${slot}_bits`] = slotBits;
      row[`${slot}_bits_per_document`] = slotBits / Math.max(result.documents, 1);
    }
    if (codedBytes !== undefined) row.coded_bytes = codedBytes;
    rows.push(row);
  }
  return rows;
}
