import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Sink, SinkRecord, StageContext, Tokenizer } from '@kolmo/core';
import { tableFromIPC, type Table } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { removeSampleRunFolders, sampleContext, sampleRecords, type SampleOptions } from '@kolmo/core/testing';

afterAll(removeSampleRunFolders);
import { tokenBinarySink, type TokenBinaryHeader } from './token-binary-sink.ts';

function tokenizer(vocabularySize: number, withText = true): Tokenizer {
  return {
    vocabularySize,
    tokenize: () => {
      throw new Error('not used by sinks');
    },
    ...(withText ? { tokenText: (id: number) => `t${id}` } : {}),
  };
}

async function writeCorpus(config: Record<string, unknown>, options: SampleOptions, context: StageContext = sampleContext(tokenizer(1000))) {
  const sink = (await tokenBinarySink.create(tokenBinarySink.config.parse(config), context)) as Sink;
  await sink.open?.({ predictors: options.predictors });
  const records = [...sampleRecords(options)];
  for (const record of records) await sink.write(record);
  const outputs = await sink.close();
  const directory = join(context.runDir, (config.directory as string | undefined) ?? 'corpus');
  const header = JSON.parse(readFileSync(join(directory, 'meta.json'), 'utf8')) as TokenBinaryHeader;
  return { context, records, outputs, directory, header };
}

/** Reads a .bin file the way numpy's memmap does: little-endian ids of the header's dtype. */
function readIds(path: string, dtype: 'uint16' | 'uint32'): number[] {
  const bytes = readFileSync(path);
  const size = dtype === 'uint16' ? 2 : 4;
  expect(bytes.length % size).toBe(0);
  return Array.from({ length: bytes.length / size }, (_, i) => (size === 2 ? bytes.readUInt16LE(i * 2) : bytes.readUInt32LE(i * 4)));
}

function column(table: Table, name: string): number[] {
  return Array.from(table.getChild(name)!.toArray() as ArrayLike<number>);
}

/** The files' contents, built independently from the records and the documents table's split column. */
function expectedFiles(records: SinkRecord[], split: number[], endOfDocument: number) {
  const files: number[][] = [[], []];
  const offsets: number[] = [];
  let d = 0;
  for (const { documents, tokens } of records) {
    documents.text.forEach((_, row) => {
      const out = files[split[d++]];
      offsets.push(out.length);
      for (let i = 0; i < tokens.length; i++) if (tokens.doc[i] === documents.first + row) out.push(tokens.ids[i]);
      out.push(endOfDocument);
    });
  }
  return { train: files[0], validation: files[1], offsets };
}

describe('token-binary sink', () => {
  const options: SampleOptions = { batches: 5, documentsPerBatch: 40, predictors: ['ngram'], vocabularySize: 1000 };

  it('writes train/val id files, a header and the documents table that agree with each other exactly', async () => {
    const { records, outputs, directory, header } = await writeCorpus({ heldOut: 0.25 }, options);
    expect(outputs.map((p) => p.slice(directory.length + 1))).toEqual(['train.bin', 'val.bin', 'documents.arrow', 'meta.json']);
    const table = tableFromIPC(readFileSync(join(directory, 'documents.arrow')));
    const split = column(table, 'split');
    const expected = expectedFiles(records, split, 1000);
    expect(readIds(join(directory, 'train.bin'), 'uint16')).toEqual(expected.train);
    expect(readIds(join(directory, 'val.bin'), 'uint16')).toEqual(expected.validation);
    expect(column(table, 'tokenOffset')).toEqual(expected.offsets);
    expect(table.getChild('text')!.toArray()).toEqual(records.flatMap((r) => r.documents.text));
    expect(column(table, 'element')).toEqual(records.flatMap((r) => [...(r.documents.columns.element as Int32Array)]));
    expect(table.schema.fields.map((f) => f.name)).toContain('bits_ngram');

    const heldOut = split.filter((s) => s === 1).length;
    const n = split.length;
    expect(Math.abs(heldOut - n * 0.25)).toBeLessThan(5 * Math.sqrt(n * 0.25 * 0.75));
    expect(header).toEqual({
      format: 'kolmo-token-binary',
      version: 1,
      dtype: 'uint16',
      byteOrder: 'little',
      vocabularySize: 1001,
      tokenizerVocabularySize: 1000,
      endOfDocument: 1000,
      tokens: { train: expected.train.length, validation: expected.validation.length },
      documents: { train: n - heldOut, validation: heldOut },
      heldOut: { heldOut: 0.25, split: 'random' },
      files: { train: 'train.bin', validation: 'val.bin', documents: 'documents.arrow' },
      vocabulary: [...Array.from({ length: 1000 }, (_, id) => `t${id}`), '<|endoftext|>'],
    });
  });

  it('splits the same way for the same seed, and by index when asked', async () => {
    const first = await writeCorpus({ heldOut: 0.3 }, options);
    const second = await writeCorpus({ heldOut: 0.3 }, options);
    expect(readFileSync(join(second.directory, 'val.bin'))).toEqual(readFileSync(join(first.directory, 'val.bin')));
    const byIndex = await writeCorpus({ heldOut: 0.25, split: 'index' }, options);
    const split = column(tableFromIPC(readFileSync(join(byIndex.directory, 'documents.arrow'))), 'split');
    expect(split.map((s, d) => (s === 1 ? d : -1)).filter((d) => d >= 0)).toEqual(Array.from({ length: 50 }, (_, k) => 4 * k + 3));
  });

  it('switches to uint32 beyond 65536 ids, and uses a configured end-of-document id', async () => {
    const wide = await writeCorpus({ heldOut: 0 }, { ...options, vocabularySize: 70_000 }, sampleContext(tokenizer(70_000, false)));
    expect(wide.header.dtype).toBe('uint32');
    expect(wide.header.vocabulary).toBeUndefined();
    expect(readIds(join(wide.directory, 'train.bin'), 'uint32')).toEqual(expectedFiles(wide.records, new Array(200).fill(0), 70_000).train);
    expect(readFileSync(join(wide.directory, 'val.bin')).length).toBe(0);

    const exact = await writeCorpus({ heldOut: 0, endOfDocument: 0 }, { ...options, vocabularySize: 65_536 }, sampleContext(tokenizer(65_536)));
    expect(exact.header).toMatchObject({ dtype: 'uint16', vocabularySize: 65_536, endOfDocument: 0 });
    expect(exact.header.vocabulary).toHaveLength(65_536);
    expect(readIds(join(exact.directory, 'train.bin'), 'uint16')).toEqual(expectedFiles(exact.records, new Array(200).fill(0), 0).train);

    const past = await writeCorpus({ heldOut: 0 }, { ...options, vocabularySize: 65_536 }, sampleContext(tokenizer(65_536)));
    expect(past.header).toMatchObject({ dtype: 'uint32', vocabularySize: 65_537, endOfDocument: 65_536 });
  });

  it('writes the documents table as JSON Lines, with the same content as the Arrow one', async () => {
    const arrow = await writeCorpus({ heldOut: 0.2 }, options);
    const jsonl = await writeCorpus({ heldOut: 0.2, groundTruth: 'jsonl' }, options);
    expect(jsonl.header.files.documents).toBe('documents.jsonl');
    const rows = readFileSync(join(jsonl.directory, 'documents.jsonl'), 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line));
    const table = tableFromIPC(readFileSync(join(arrow.directory, 'documents.arrow')));
    expect(Object.keys(rows[0])).toEqual(table.schema.fields.map((f) => f.name));
    for (const field of table.schema.fields) expect(rows.map((r) => r[field.name]), field.name).toEqual(Array.from(table.getChild(field.name)!.toArray() as ArrayLike<unknown>));
  });

  it('leaves nothing behind when aborted', async () => {
    const context = sampleContext(tokenizer(1000));
    const sink = (await tokenBinarySink.create(tokenBinarySink.config.parse({ directory: 'a/b' }), context)) as Sink;
    await sink.open?.({ predictors: [] });
    for (const record of sampleRecords({ ...options, predictors: [], batches: 2 })) await sink.write(record);
    expect(readdirSync(join(context.runDir, 'a/b'))).toHaveLength(3);
    await sink.abort();
    expect(readdirSync(context.runDir)).toEqual([]);
  });

  it('refuses ids outside the vocabulary, and specs it cannot honour', async () => {
    const context = sampleContext(tokenizer(10));
    const sink = (await tokenBinarySink.create(tokenBinarySink.config.parse({}), context)) as Sink;
    await sink.open?.({ predictors: [] });
    const [record] = sampleRecords({ ...options, predictors: [], batches: 1 });
    await expect(Promise.resolve().then(() => sink.write(record))).rejects.toThrow(/outside \[0, 11\)/);
    await sink.abort();
    const create = (config: Record<string, unknown>, ctx = sampleContext(tokenizer(10))) => () => tokenBinarySink.create(tokenBinarySink.config.parse(config), ctx);
    expect(create({ endOfDocument: 11 })).toThrow(/endOfDocument/);
    expect(create({}, sampleContext())).toThrow(/tokenizer/);
    expect(create({ heldOut: 5 })).toThrow(/knows its document count/);
    expect(() => tokenBinarySink.config.parse({ heldOut: 2.5 })).toThrow();
    expect(() => tokenBinarySink.config.parse({ heldOut: -0.1 })).toThrow();
  });
});
