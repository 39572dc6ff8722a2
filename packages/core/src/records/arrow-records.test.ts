import { tableFromIPC, tableToIPC, Table } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import type { SinkRecord } from '../contracts/sink.ts';
import {
  documentsLayout,
  documentsShapeOf,
  documentsToRecordBatch,
  positionsInDocument,
  RecordTable,
  scoredTokensLayout,
  scoredTokensShapeOf,
  scoredTokensToRecordBatches,
} from './arrow-records.ts';
import { slotNames } from './slot.ts';

/** Two documents ("ab", "héllo") of 2 and 3 tokens, scored by two predictors, with true bits. */
function sampleRecord(): SinkRecord {
  const documents = {
    first: 10,
    text: ['ab', 'héllo'],
    columns: { element: Int32Array.of(7, -1), isNew: Uint8Array.of(1, 0), label: ['x', 'ü'] },
  };
  const tokens = {
    length: 5,
    ids: Int32Array.of(97, 98, 104, 233, 108),
    doc: Int32Array.of(10, 10, 11, 11, 11),
    slot: Uint8Array.of(0, 1, 2, 3, 0),
    start: Int32Array.of(0, 1, 0, 1, 3),
    end: Int32Array.of(1, 2, 1, 3, 5),
    offsetUnit: 'utf8' as const,
    trueBits: Float64Array.of(1, 2, 3, 4, 5),
    documents,
  };
  return {
    documents,
    tokens,
    scored: [
      { predictor: 'alpha', tokens, bits: Float64Array.of(0.5, 1.5, 2.5, 3.5, 4.5) },
      { predictor: 'beta', tokens, bits: Float64Array.of(0.25, 0.125, 8, 16, 1 / 3) },
    ],
  };
}

describe('scored tokens', () => {
  it('lays out one row per token per predictor, predictor-major, with views of the token arrays', () => {
    const record = sampleRecord();
    const layout = scoredTokensLayout(scoredTokensShapeOf(['alpha', 'beta'], record.tokens));
    const batches = scoredTokensToRecordBatches(layout, record);
    expect(batches).toHaveLength(2);
    expect(batches[0].getChild('token')!.data[0].values.buffer).toBe(record.tokens.ids.buffer);
    expect(batches[1].getChild('bits')!.data[0].values.buffer).toBe(record.scored[1].bits.buffer);
    const table = tableFromIPC(tableToIPC(new Table(batches), 'stream'));
    expect(table.schema.fields.map((f) => f.name)).toEqual(['predictor', 'doc', 'position', 'token', 'slot', 'start', 'end', 'bits', 'true_bits']);
    expect(table.getChild('predictor')!.toArray()).toEqual(['alpha', 'alpha', 'alpha', 'alpha', 'alpha', 'beta', 'beta', 'beta', 'beta', 'beta']);
    expect([...table.getChild('position')!.toArray()]).toEqual([0, 1, 0, 1, 2, 0, 1, 0, 1, 2]);
    expect([...table.getChild('doc')!.toArray()]).toEqual([10, 10, 11, 11, 11, 10, 10, 11, 11, 11]);
    expect([...table.getChild('bits')!.toArray()]).toEqual([0.5, 1.5, 2.5, 3.5, 4.5, 0.25, 0.125, 8, 16, 1 / 3]);
    expect([...table.getChild('true_bits')!.toArray()]).toEqual([1, 2, 3, 4, 5, 1, 2, 3, 4, 5]);
    expect(JSON.parse(table.schema.metadata.get('kolmo.slots')!)).toEqual([...slotNames]);
    expect(table.schema.metadata.get('kolmo.offset_unit')).toBe('utf8');
  });

  it('has no predictor or bits column without predictors', () => {
    const record = { ...sampleRecord(), scored: [] };
    const layout = scoredTokensLayout(scoredTokensShapeOf([], record.tokens));
    const [batch] = scoredTokensToRecordBatches(layout, record);
    expect(batch.schema.fields.map((f) => f.name)).toEqual(['doc', 'position', 'token', 'slot', 'start', 'end', 'true_bits']);
    expect(batch.numRows).toBe(5);
  });

  it('refuses a batch that disagrees with the layout', () => {
    const record = sampleRecord();
    const layout = scoredTokensLayout(scoredTokensShapeOf(['alpha', 'beta'], record.tokens));
    expect(() => scoredTokensToRecordBatches(layout, { ...record, scored: [...record.scored].reverse() })).toThrow(/do not match/);
    expect(() => scoredTokensToRecordBatches(layout, { ...record, tokens: { ...record.tokens, trueBits: undefined } })).toThrow(/true_bits/);
  });

  it('counts positions from each document start', () => {
    expect([...positionsInDocument(Int32Array.of(3, 3, 3, 4, 6, 6))]).toEqual([0, 1, 2, 0, 0, 1]);
  });
});

describe('documents', () => {
  it('writes text, ground truth, token counts and per-document sums', () => {
    const record = sampleRecord();
    const layout = documentsLayout(documentsShapeOf(['alpha', 'beta'], record));
    const table = tableFromIPC(tableToIPC(new Table([documentsToRecordBatch(layout, record)]), 'stream'));
    expect(table.schema.fields.map((f) => f.name)).toEqual(['doc', 'text', 'tokens', 'element', 'isNew', 'label', 'true_bits', 'bits_alpha', 'bits_beta']);
    expect(table.getChild('text')!.toArray()).toEqual(['ab', 'héllo']);
    expect(table.getChild('label')!.toArray()).toEqual(['x', 'ü']);
    expect([...table.getChild('doc')!.toArray()]).toEqual([10, 11]);
    expect([...table.getChild('tokens')!.toArray()]).toEqual([2, 3]);
    expect([...table.getChild('element')!.toArray()]).toEqual([7, -1]);
    expect([...table.getChild('isNew')!.toArray()]).toEqual([1, 0]);
    expect([...table.getChild('true_bits')!.toArray()]).toEqual([3, 12]);
    expect([...table.getChild('bits_alpha')!.toArray()]).toEqual([0.5 + 1.5, 2.5 + 3.5 + 4.5]);
    expect([...table.getChild('bits_beta')!.toArray()]).toEqual([0.25 + 0.125, 8 + 16 + 1 / 3]);
  });

  it('refuses a ground-truth column that clashes with one the table adds', () => {
    const record = sampleRecord();
    const clashing = { ...record, documents: { ...record.documents, columns: { tokens: Int32Array.of(1, 2) } } };
    expect(() => documentsLayout(documentsShapeOf([], clashing))).toThrow(/"tokens" appears twice/);
  });

  it('refuses a later batch whose ground-truth columns changed', () => {
    const record = sampleRecord();
    const layout = documentsLayout(documentsShapeOf(['alpha', 'beta'], record));
    const changed = { ...record, documents: { ...record.documents, columns: { element: Int32Array.of(1, 2) } } };
    expect(() => documentsToRecordBatch(layout, changed)).toThrow(/columns changed/);
  });
});

describe('RecordTable', () => {
  it('fixes its layout on the first record and keeps one schema', () => {
    const table = new RecordTable('tokens', ['alpha', 'beta']);
    expect(table.schema.fields.map((f) => f.name)).not.toContain('true_bits');
    const first = table.toRecordBatches(sampleRecord());
    const second = table.toRecordBatches(sampleRecord());
    expect(table.schema.fields.map((f) => f.name)).toContain('true_bits');
    expect(second[0].schema.fields.map((f) => f.name)).toEqual(first[0].schema.fields.map((f) => f.name));
    const documents = new RecordTable('documents', ['alpha', 'beta']);
    expect(documents.toRecordBatches(sampleRecord())).toHaveLength(1);
    expect(documents.schema.fields.map((f) => f.name)).toContain('bits_beta');
  });
});
