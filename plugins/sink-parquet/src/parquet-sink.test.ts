import { readdirSync, readFileSync } from 'node:fs';
import type { Sink, SinkRecord } from '@kolmo/core';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parquetSink } from './parquet-sink.ts';
import { removeSampleRunFolders, sampleContext, sampleRecords, type SampleOptions } from '@kolmo/core/testing';

afterAll(removeSampleRunFolders);

/** DuckDB is the independent reader: its own Parquet decoder, nothing shared with the writer. */
let duckdb: DuckDBInstance;
let sql: DuckDBConnection;
beforeAll(async () => {
  duckdb = await DuckDBInstance.create(':memory:', { threads: '1' });
  sql = await duckdb.connect();
});
afterAll(() => {
  sql.closeSync();
  duckdb.closeSync();
});

async function query(text: string): Promise<Record<string, unknown[]>> {
  return (await sql.runAndReadAll(text)).getColumnsObjectJS() as Record<string, unknown[]>;
}

async function writeAll(config: Record<string, unknown>, options: SampleOptions, records = [...sampleRecords(options)]) {
  const context = sampleContext();
  const sink = (await parquetSink.create(parquetSink.config.parse(config), context)) as Sink;
  await sink.open?.({ predictors: options.predictors });
  for (const record of records) await sink.write(record);
  const outputs = await sink.close();
  return { context, records, outputs };
}

/** Columns of the long-format token table, built independently of the sink: per record, predictor-major. */
function expectedTokenColumns(records: SinkRecord[]) {
  let rows = 0;
  for (const r of records) rows += r.tokens.length * r.scored.length;
  const names: string[] = [];
  const columns = {
    predictor: new Uint8Array(rows),
    doc: new Int32Array(rows),
    position: new Int32Array(rows),
    token: new Int32Array(rows),
    slot: new Uint8Array(rows),
    start: new Int32Array(rows),
    end: new Int32Array(rows),
    bits: new Float64Array(rows),
    true_bits: new Float64Array(rows),
  };
  let row = 0;
  for (const { tokens, scored } of records) {
    scored.forEach(({ predictor, bits }) => {
      if (!names.includes(predictor)) names.push(predictor);
      let position = 0;
      for (let i = 0; i < tokens.length; i++, row++) {
        position = i > 0 && tokens.doc[i] === tokens.doc[i - 1] ? position + 1 : 0;
        columns.predictor[row] = names.indexOf(predictor);
        columns.doc[row] = tokens.doc[i];
        columns.position[row] = position;
        columns.token[row] = tokens.ids[i];
        columns.slot[row] = tokens.slot[i];
        columns.start[row] = tokens.start[i];
        columns.end[row] = tokens.end[i];
        columns.bits[row] = bits[i];
        columns.true_bits[row] = tokens.trueBits![i];
      }
    });
  }
  return { names, columns, rows };
}

/** Exact comparison that names the first differing row (toEqual on 10^6-element arrays is slow to report). */
function expectSameColumn(name: string, actual: unknown[], expected: ArrayLike<unknown>) {
  expect(actual.length, `${name} length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i])) expect(`${name}[${i}] = ${String(actual[i])}`).toBe(`${name}[${i}] = ${String(expected[i])}`);
  }
}

async function expectTokensFile(path: string, records: SinkRecord[]) {
  const { names, columns, rows } = expectedTokenColumns(records);
  const read = await query(`select * from read_parquet('${path}')`);
  expect(Object.keys(read)).toEqual(Object.keys(columns));
  expect(read.doc.length).toBe(rows);
  expectSameColumn('predictor', read.predictor, Array.from(columns.predictor, (k) => names[k]));
  for (const name of Object.keys(columns).filter((n) => n !== 'predictor')) {
    expectSameColumn(name, read[name], columns[name as keyof typeof columns]);
  }
}

describe('parquet sink', () => {
  const options: SampleOptions = { batches: 6, documentsPerBatch: 50, predictors: ['ngram', 'oracle'] };

  it('writes every token column exactly, as DuckDB reads it', async () => {
    const { records, outputs } = await writeAll({ path: 'out/t.parquet' }, options);
    expect(outputs[0]).toMatch(/out\/t\.parquet$/);
    await expectTokensFile(outputs[0], records);
    const types = await query(`select name, type, converted_type from parquet_schema('${outputs[0]}') where name <> 'arrow_schema'`);
    expect(types.name).toEqual(['predictor', 'doc', 'position', 'token', 'slot', 'start', 'end', 'bits', 'true_bits']);
    expect(types.converted_type[0]).toBe('UTF8');
    expect(types.converted_type[4]).toBe('UINT_8');
    const metadata = await query(`select decode(key) as key, decode(value) as value from parquet_kv_metadata('${outputs[0]}')`);
    const kv = Object.fromEntries(metadata.key.map((k, i) => [k, metadata.value[i]]));
    expect(JSON.parse(kv['kolmo.slots'] as string)).toEqual(['text', 'syntax', 'name', 'value']);
    expect(kv['kolmo.table']).toBe('scored-tokens');
    expect(kv['ARROW:schema']).toBeDefined();
    const encodings = await query(`select path_in_schema as name, encodings from parquet_metadata('${outputs[0]}') where row_group_id = 0`);
    const dictionaryEncoded = encodings.name.filter((_, i) => String(encodings.encodings[i]).includes('DICTIONARY'));
    expect(dictionaryEncoded).toEqual(['predictor', 'slot']);
    const bytes = readFileSync(outputs[0]);
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('PAR1');
    expect(bytes.subarray(bytes.length - 4).toString('latin1')).toBe('PAR1');
  });

  it('streams 10^6 rows in several row groups and reads back exactly', async () => {
    const big: SampleOptions = { batches: 42, documentsPerBatch: 2000, predictors: ['ngram', 'oracle'], seed: 3 };
    const { records, outputs } = await writeAll({ rowGroupRows: 1 << 18, compression: 'zstd' }, big);
    expect(expectedTokenColumns(records).rows).toBeGreaterThanOrEqual(1_000_000);
    const groups = await query(`select row_group_id, max(row_group_num_rows) as rows, min(compression) as codec from parquet_metadata('${outputs[0]}') group by all order by 1`);
    expect(groups.row_group_id.length).toBeGreaterThanOrEqual(4);
    expect(groups.rows.slice(0, -1).every((n) => Number(n) === 1 << 18)).toBe(true);
    expect(groups.codec.every((c) => c === 'ZSTD')).toBe(true);
    await expectTokensFile(outputs[0], records);
  }, 60_000);

  it('writes one row per document with text, ground truth and per-predictor sums', async () => {
    const { records, outputs } = await writeAll({ records: 'documents' }, options);
    expect(outputs[0]).toMatch(/documents\.parquet$/);
    const read = await query(`select * from read_parquet('${outputs[0]}')`);
    expect(Object.keys(read)).toEqual(['doc', 'text', 'tokens', 'element', 'isNew', 'knowledgeBits', 'template', 'true_bits', 'bits_ngram', 'bits_oracle']);
    const docs = records.map((r) => r.documents);
    expect(read.doc).toEqual(docs.flatMap((d) => d.text.map((_, i) => d.first + i)));
    expect(read.text).toEqual(docs.flatMap((d) => d.text));
    for (const name of ['element', 'isNew', 'knowledgeBits', 'template']) {
      expect(read[name], name).toEqual(docs.flatMap((d) => Array.from(d.columns[name] as ArrayLike<unknown>)));
    }
    const sums = (pick: (r: SinkRecord) => Float64Array) =>
      records.flatMap((r) =>
        r.documents.text.map((_, d) => {
          let sum = 0;
          for (let i = 0; i < r.tokens.length; i++) if (r.tokens.doc[i] === r.documents.first + d) sum += pick(r)[i];
          return sum;
        }),
      );
    expect(read.true_bits).toEqual(sums((r) => r.tokens.trueBits!));
    expect(read.bits_ngram).toEqual(sums((r) => r.scored[0].bits));
    expect(read.bits_oracle).toEqual(sums((r) => r.scored[1].bits));
  });

  it('writes tokens without predictor and bits for a pipeline without predictors', async () => {
    const { records, outputs } = await writeAll({}, { ...options, predictors: [], trueBits: false });
    const read = await query(`select * from read_parquet('${outputs[0]}')`);
    expect(Object.keys(read)).toEqual(['doc', 'position', 'token', 'slot', 'start', 'end']);
    expect(read.token).toEqual(records.flatMap((r) => [...r.tokens.ids]));
  });

  it('writes a valid empty file for a run without records', async () => {
    const { outputs } = await writeAll({}, { ...options, batches: 0 });
    const read = await query(`select * from read_parquet('${outputs[0]}')`);
    expect(Object.keys(read)).toContain('bits');
    expect(read.bits).toEqual([]);
  });

  it('leaves no file behind when aborted, before or after the first batch', async () => {
    for (const batches of [0, 3]) {
      const context = sampleContext();
      const sink = (await parquetSink.create(parquetSink.config.parse({}), context)) as Sink;
      await sink.open?.({ predictors: options.predictors });
      for (const record of sampleRecords({ ...options, batches })) await sink.write(record);
      await sink.abort();
      expect(readdirSync(context.runDir)).toEqual([]);
    }
  });

  it('has defaults for everything and rejects unknown codecs', () => {
    expect(parquetSink.config.parse({})).toEqual({ records: 'tokens', compression: 'snappy', rowGroupRows: 1 << 20 });
    expect(() => parquetSink.config.parse({ compression: 'lzo' })).toThrow();
  });
});
