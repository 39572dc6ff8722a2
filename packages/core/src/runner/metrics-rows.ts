import type { MetricsTable } from '../contracts/fitter.ts';
import type { SweepPoint } from '../pipeline-spec/sweep.ts';
import type { PhaseTotals, RunResult, SlotBits } from './run-pipeline.ts';

/**
 * The flat metrics table: one row per run and predictor (plus `truth`, the oracle code length, when the source
 * is known), sweep variables as columns. This is what fitters read (`x: documents, y: bits_per_document`), so
 * the column names are part of the contract:
 * - `bits`, `bits_per_token|byte|document`, `<slot>_bits`, `<slot>_tokens`, `<slot>_bits_per_document`
 *   (slots: text, syntax, name, value, knowledge = name + value) over the training documents (prequential);
 * - the same with a `test_` prefix over the held-out documents, when the spec has an evaluation phase;
 * - `coded_bytes` for real coders; each predictor's own statistics under their own names (`stat_<name>` where
 *   a name is already a column).
 */
export function metricsRows(label: string, point: SweepPoint, result: RunResult): MetricsTable {
  const rows: Record<string, number | string>[] = [];
  const base = { run: label, ...point, documents: result.documents, tokens: result.tokens, bytes: result.bytes };
  const entries: { predictor: string; train: { bits: number; slots: SlotBits }; test?: { bits: number; slots: SlotBits }; extra: Record<string, number> }[] =
    Object.entries(result.predictors).map(([predictor, p]) => ({
      predictor,
      train: p,
      test: p.test,
      extra: { ...p.statistics, ...(p.codedBytes === undefined ? {} : { coded_bytes: p.codedBytes }) },
    }));
  if (result.truth) entries.push({ predictor: 'truth', train: result.truth, test: result.test?.truth, extra: {} });
  for (const { predictor, train, test, extra } of entries) {
    const row: Record<string, number | string> = { ...base, predictor, ...phaseColumns('', train, result) };
    if (test && result.test) Object.assign(row, { test_documents: result.test.documents, ...phaseColumns('test_', test, result.test) });
    // A statistic never overwrites a measured column: one that shares a name is kept as `stat_<name>`.
    for (const [name, value] of Object.entries(extra)) row[name in row ? `stat_${name}` : name] = value;
    rows.push(row);
  }
  return rows;
}

function phaseColumns(prefix: string, { bits, slots }: { bits: number; slots: SlotBits }, totals: PhaseTotals): Record<string, number> {
  const row: Record<string, number> = {
    [`${prefix}bits`]: bits,
    [`${prefix}bits_per_token`]: bits / Math.max(totals.tokens, 1),
    [`${prefix}bits_per_byte`]: bits / Math.max(totals.bytes, 1),
    [`${prefix}bits_per_document`]: bits / Math.max(totals.documents, 1),
  };
  for (const [slot, { tokens, bits: slotBits }] of Object.entries(slots)) {
    row[`${prefix}${slot}_tokens`] = tokens;
    row[`${prefix}${slot}_bits`] = slotBits;
    row[`${prefix}${slot}_bits_per_document`] = slotBits / Math.max(totals.documents, 1);
  }
  return row;
}
