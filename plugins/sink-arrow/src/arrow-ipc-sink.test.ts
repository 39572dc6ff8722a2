import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Sink, SinkRecord } from '@kolmo/core';
import { RecordBatchReader, tableFromIPC, type Table } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { arrowIpcSink } from './arrow-ipc-sink.ts';
import { removeSampleRunFolders, sampleContext, sampleRecords, type SampleOptions } from '@kolmo/core/testing';

afterAll(removeSampleRunFolders);

async function writeAll(config: Record<string, unknown>, options: SampleOptions) {
  const context = sampleContext();
  const sink = (await arrowIpcSink.create(arrowIpcSink.config.parse(config), context)) as Sink;
  await sink.open?.({ predictors: options.predictors });
  const records = [...sampleRecords(options)];
  for (const record of records) await sink.write(record);
  const outputs = await sink.close();
  return { context, records, outputs };
}

function column(table: Table, name: string): unknown[] {
  const vector = table.getChild(name);
  if (!vector) throw new Error(`no column ${name}`);
  return [...vector.toArray()];
}

/** The long-format rows written independently of the sink's code: per record, predictor-major. */
function expectedTokenColumns(records: SinkRecord[]) {
  const expected: Record<string, unknown[]> = { predictor: [], doc: [], position: [], token: [], slot: [], start: [], end: [], bits: [], true_bits: [] };
  for (const { tokens, scored } of records) {
    for (const { predictor, bits } of scored) {
      let position = 0;
      for (let i = 0; i < tokens.length; i++) {
        position = i > 0 && tokens.doc[i] === tokens.doc[i - 1] ? position + 1 : 0;
        expected.predictor.push(predictor);
        expected.doc.push(tokens.doc[i]);
        expected.position.push(position);
        expected.token.push(tokens.ids[i]);
        expected.slot.push(tokens.slot[i]);
        expected.start.push(tokens.start[i]);
        expected.end.push(tokens.end[i]);
        expected.bits.push(bits[i]);
        expected.true_bits.push(tokens.trueBits![i]);
      }
    }
  }
  return expected;
}

describe('arrow-ipc sink', () => {
  const options: SampleOptions = { batches: 5, documentsPerBatch: 40, predictors: ['ngram', 'oracle'] };

  for (const format of ['stream', 'file'] as const) {
    it(`writes every token column exactly (${format})`, async () => {
      const { context, records, outputs } = await writeAll({ format, path: 'out/tokens.data' }, options);
      expect(outputs).toEqual([join(context.runDir, 'out/tokens.data')]);
      const bytes = readFileSync(outputs[0]);
      if (format === 'file') {
        expect(bytes.subarray(0, 6).toString('latin1')).toBe('ARROW1');
        expect(bytes.subarray(bytes.length - 6).toString('latin1')).toBe('ARROW1');
      } else {
        expect(bytes.subarray(0, 6).toString('latin1')).not.toBe('ARROW1');
      }
      const table = tableFromIPC(bytes);
      const expected = expectedTokenColumns(records);
      expect(table.schema.fields.map((f) => f.name)).toEqual(Object.keys(expected));
      expect(table.numRows).toBe(expected.doc.length);
      for (const name of Object.keys(expected)) expect(column(table, name), name).toEqual(expected[name]);
      expect(String(table.schema.fields[0].type)).toMatch(/Dictionary/);
      expect(JSON.parse(table.schema.metadata.get('kolmo.slots')!)).toEqual(['text', 'syntax', 'name', 'value']);
      expect(JSON.parse(table.schema.metadata.get('kolmo.predictors')!)).toEqual(['ngram', 'oracle']);
    });
  }

  it('reads back batch by batch as a stream, one batch per record and predictor', async () => {
    const { records, outputs } = await writeAll({}, options);
    const reader = RecordBatchReader.from(readFileSync(outputs[0]));
    let batches = 0;
    for (const batch of reader) {
      const record = records[Math.floor(batches / 2)];
      expect(batch.numRows).toBe(record.tokens.length);
      expect([...batch.getChild('bits')!.toArray()]).toEqual([...record.scored[batches % 2].bits]);
      batches++;
    }
    expect(batches).toBe(2 * records.length);
  });

  it('writes tokens without predictor and bits columns for a pipeline without predictors', async () => {
    const { records, outputs } = await writeAll({ format: 'file' }, { ...options, predictors: [], trueBits: false });
    const table = tableFromIPC(readFileSync(outputs[0]));
    expect(table.schema.fields.map((f) => f.name)).toEqual(['doc', 'position', 'token', 'slot', 'start', 'end']);
    expect(column(table, 'token')).toEqual(records.flatMap((r) => [...r.tokens.ids]));
  });

  it('writes one row per document with text, ground truth and per-predictor sums', async () => {
    const { records, outputs } = await writeAll({ records: 'documents', format: 'file' }, options);
    expect(outputs[0]).toMatch(/documents\.arrow$/);
    const table = tableFromIPC(readFileSync(outputs[0]));
    const docs = records.map((r) => r.documents);
    expect(table.schema.fields.map((f) => f.name)).toEqual(['doc', 'text', 'tokens', 'element', 'isNew', 'knowledgeBits', 'template', 'true_bits', 'bits_ngram', 'bits_oracle']);
    expect(column(table, 'doc')).toEqual(docs.flatMap((d) => d.text.map((_, i) => d.first + i)));
    expect(column(table, 'text')).toEqual(docs.flatMap((d) => d.text));
    for (const name of ['element', 'isNew', 'knowledgeBits', 'template']) {
      expect(column(table, name), name).toEqual(docs.flatMap((d) => Array.from(d.columns[name] as ArrayLike<unknown>)));
    }
    const sums = (pick: (r: SinkRecord) => Float64Array) =>
      records.flatMap((r) => r.documents.text.map((_, d) => {
        let sum = 0;
        for (let i = 0; i < r.tokens.length; i++) if (r.tokens.doc[i] === r.documents.first + d) sum += pick(r)[i];
        return sum;
      }));
    expect(column(table, 'tokens')).toEqual(records.flatMap((r) => r.documents.text.map((_, d) => r.tokens.doc.filter((x) => x === r.documents.first + d).length)));
    expect(column(table, 'true_bits')).toEqual(sums((r) => r.tokens.trueBits!));
    expect(column(table, 'bits_ngram')).toEqual(sums((r) => r.scored[0].bits));
    expect(column(table, 'bits_oracle')).toEqual(sums((r) => r.scored[1].bits));
  });

  it('writes a valid empty table for a run without records', async () => {
    const { outputs } = await writeAll({ format: 'file' }, { ...options, batches: 0 });
    const table = tableFromIPC(readFileSync(outputs[0]));
    expect(table.numRows).toBe(0);
    expect(table.schema.fields.map((f) => f.name)).toContain('bits');
  });

  it('leaves no file behind when aborted', async () => {
    for (const format of ['stream', 'file'] as const) {
      const context = sampleContext();
      const sink = (await arrowIpcSink.create(arrowIpcSink.config.parse({ format }), context)) as Sink;
      await sink.open?.({ predictors: options.predictors });
      for (const record of sampleRecords({ ...options, batches: 2 })) await sink.write(record);
      expect(readdirSync(context.runDir)).toHaveLength(1);
      await sink.abort();
      expect(readdirSync(context.runDir)).toEqual([]);
    }
  });

  it('has defaults for everything', () => {
    expect(arrowIpcSink.config.parse({})).toEqual({ format: 'stream', records: 'tokens' });
    expect(() => arrowIpcSink.config.parse({ format: 'feather' })).toThrow();
  });
});
