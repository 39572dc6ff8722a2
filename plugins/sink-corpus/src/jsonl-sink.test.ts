import { readdirSync, readFileSync } from 'node:fs';
import type { Sink } from '@kolmo/core';
import { afterAll, describe, expect, it } from 'vitest';
import { jsonLines } from './json-lines.ts';
import { jsonlSink } from './jsonl-sink.ts';
import { removeSampleRunFolders, sampleContext, sampleRecords } from '@kolmo/core/testing';

afterAll(removeSampleRunFolders);

describe('jsonl sink', () => {
  it('writes one object per document, text first, then every ground-truth column, exactly', async () => {
    const context = sampleContext();
    const sink = (await jsonlSink.create(jsonlSink.config.parse({ path: 'sub/corpus.jsonl' }), context)) as Sink;
    await sink.open?.({ predictors: ['p'] });
    const records = [...sampleRecords({ batches: 4, documentsPerBatch: 30, predictors: ['p'] })];
    for (const record of records) await sink.write(record);
    const [path] = await sink.close();
    expect(path).toMatch(/sub\/corpus\.jsonl$/);
    const lines = readFileSync(path, 'utf8').split('\n');
    expect(lines.pop()).toBe('');
    const expected = records.flatMap(({ documents }) =>
      documents.text.map((text, d) => ({
        text,
        ...Object.fromEntries(Object.entries(documents.columns).map(([name, column]) => [name, column[d]])),
      })),
    );
    expect(lines.map((line) => JSON.parse(line))).toEqual(expected);
    expect(Object.keys(JSON.parse(lines[0]))).toEqual(['text', 'element', 'isNew', 'knowledgeBits', 'template']);
    expect(expected.some((doc) => doc.text.includes('\n') && doc.text.includes('"') && doc.text.includes('😀'))).toBe(true);
  });

  it('writes an empty file for a run without documents, and nothing when aborted', async () => {
    const context = sampleContext();
    const sink = (await jsonlSink.create(jsonlSink.config.parse({}), context)) as Sink;
    await sink.open?.({ predictors: [] });
    const [path] = await sink.close();
    expect(readFileSync(path, 'utf8')).toBe('');

    const other = sampleContext();
    const aborted = (await jsonlSink.create(jsonlSink.config.parse({}), other)) as Sink;
    await aborted.open?.({ predictors: [] });
    for (const record of sampleRecords({ batches: 2, documentsPerBatch: 5, predictors: [] })) await aborted.write(record);
    await aborted.abort();
    expect(readdirSync(other.runDir)).toEqual([]);
  });

  it('refuses a ground-truth column named text', async () => {
    const sink = (await jsonlSink.create(jsonlSink.config.parse({}), sampleContext())) as Sink;
    await sink.open?.({ predictors: [] });
    const [record] = sampleRecords({ batches: 1, documentsPerBatch: 2, predictors: [] });
    const clashing = { ...record, documents: { ...record.documents, columns: { text: ['a', 'b'] } } };
    await expect(Promise.resolve().then(() => sink.write(clashing))).rejects.toThrow(/named "text"/);
    await sink.abort();
  });
});

describe('jsonLines', () => {
  it('writes numbers so they read back exactly, and non-finite numbers as null', () => {
    const values = Float64Array.of(0.1 + 0.2, 1 / 3, 5e-324, -0, NaN, Infinity);
    const lines = jsonLines(values.length, [['x', values]]).trimEnd().split('\n').map((l) => JSON.parse(l).x);
    expect(lines.slice(0, 4)).toEqual([0.1 + 0.2, 1 / 3, 5e-324, 0]);
    expect(lines.slice(4)).toEqual([null, null]);
  });
});
