import { resolve } from 'node:path';
import { defineStage, RecordTable, type Sink, type SinkOpening, type SinkRecord } from '@kolmo/core';
import { DataType, type Schema } from 'apache-arrow';
import { z } from 'zod';
import { parquetCompressions, ParquetStreamFile, type ParquetWriteOptions } from './parquet-stream-file.ts';

const config = z.object({
  path: z.string().min(1).optional().describe('output file, relative to the run folder; default <records>.parquet'),
  records: z
    .enum(['tokens', 'documents'])
    .default('tokens')
    .describe('tokens: one row per token per predictor (long format); documents: one row per document with ground truth and per-predictor bits'),
  compression: z
    .enum(parquetCompressions)
    .default('snappy')
    .describe('codec of every column chunk: snappy (fast, the usual default), zstd (about 10% smaller, half the speed), …'),
  rowGroupRows: z
    .number()
    .int()
    .min(1024)
    .default(1 << 20)
    .describe('rows per row group: the writer holds about one row group in memory before it goes to disk'),
});

/**
 * Scored tokens or documents as Parquet, in the same schemas as the Arrow sink (`@kolmo/core` arrow-records),
 * streamed by row groups and renamed into place on close. Schema metadata (`kolmo.*`) is copied into the
 * Parquet footer's key-value metadata, so readers that ignore the embedded Arrow schema still find it.
 */
export const parquetSink = defineStage({
  kind: 'sink',
  type: 'parquet',
  description: 'scored tokens (long format) or documents as Parquet (parquet-wasm), streamed by row groups, atomic',
  config,
  create: ({ path, records, compression, rowGroupRows }, context): Sink =>
    new ParquetSink(resolve(context.runDir, path ?? `${records}.parquet`), records, { compression, rowGroupRows }),
});

class ParquetSink implements Sink {
  private readonly path: string;
  private readonly records: 'tokens' | 'documents';
  private readonly options: ParquetWriteOptions;
  private file: ParquetStreamFile | undefined;
  private table: RecordTable | undefined;

  constructor(path: string, records: 'tokens' | 'documents', options: ParquetWriteOptions) {
    this.path = path;
    this.records = records;
    this.options = options;
  }

  async open({ predictors }: SinkOpening): Promise<void> {
    this.table = new RecordTable(this.records, predictors);
    this.file = undefined; // created with the first batch, whose schema metadata goes into the footer
  }

  async write(record: SinkRecord): Promise<void> {
    if (!this.table) await this.open({ predictors: record.scored.map((s) => s.predictor) });
    for (const batch of this.table!.toRecordBatches(record)) {
      this.file ??= await this.create(batch.schema);
      await this.file.write(batch);
    }
  }

  async close(): Promise<readonly string[]> {
    if (!this.table) await this.open({ predictors: [] });
    const schema = this.table!.schema;
    const file = this.file ?? (await this.create(schema));
    this.file = undefined;
    try {
      return [await file.commit(schema)];
    } catch (error) {
      await file.abort();
      throw error;
    }
  }

  async abort(): Promise<void> {
    const file = this.file;
    this.file = undefined;
    await file?.abort();
  }

  private create(schema: Schema): Promise<ParquetStreamFile> {
    return ParquetStreamFile.create(this.path, { ...this.options, metadata: schema.metadata, dictionaryColumns: repetitiveColumns(schema) });
  }
}

/** Dictionary-encoded, string and 8-bit columns (predictor, slot, labels): the ones whose values repeat. */
export function repetitiveColumns(schema: Schema): string[] {
  return schema.fields
    .filter(({ type }) => DataType.isDictionary(type) || DataType.isUtf8(type) || (DataType.isInt(type) && type.bitWidth === 8))
    .map((field) => field.name);
}
