import { resolve } from 'node:path';
import { ArrowIpcFile, defineStage, RecordTable, type RecordTableKind, type Sink, type SinkOpening, type SinkRecord } from '@kolmo/core';
import { z } from 'zod';

const config = z.object({
  path: z
    .string()
    .min(1)
    .optional()
    .describe('output file, relative to the run folder; default <records>.arrows (stream) or <records>.arrow (file)'),
  format: z
    .enum(['stream', 'file'])
    .default('stream')
    .describe('Arrow IPC stream format (readable while it grows) or file format (with a footer index, ARROW1 at both ends)'),
  records: z
    .enum(['tokens', 'documents', 'backend-tokens'])
    .default('tokens')
    .describe("tokens: one row per token per predictor (long format); documents: one row per document with ground truth and per-predictor bits; backend-tokens: an llm predictor's own tokens (text, span, bits, top-k)"),
});

/**
 * Scored tokens or documents as Arrow IPC, in the shared schemas of `@kolmo/core` (arrow-records). Each
 * record's batches are written and awaited as they come, so memory holds one batch; the file appears under
 * its name only on close.
 */
export const arrowIpcSink = defineStage({
  kind: 'sink',
  type: 'arrow-ipc',
  description: 'scored tokens (long format) or documents as an Arrow IPC stream or file, written batch by batch, atomic',
  config,
  create: ({ path, format, records }, context): Sink => {
    const target = resolve(context.runDir, path ?? `${records}.${format === 'stream' ? 'arrows' : 'arrow'}`);
    return new ArrowIpcSink(target, format, records);
  },
});

class ArrowIpcSink implements Sink {
  private readonly path: string;
  private readonly format: 'stream' | 'file';
  private readonly records: RecordTableKind;
  private file: ArrowIpcFile | undefined;
  private table: RecordTable | undefined;

  constructor(path: string, format: 'stream' | 'file', records: RecordTableKind) {
    this.path = path;
    this.format = format;
    this.records = records;
  }

  async open({ predictors }: SinkOpening): Promise<void> {
    this.table = new RecordTable(this.records, predictors);
    this.file = await ArrowIpcFile.create(this.path, this.format);
  }

  async write(record: SinkRecord): Promise<void> {
    if (!this.file) await this.open({ predictors: record.scored.map((s) => s.predictor) });
    for (const batch of this.table!.toRecordBatches(record)) await this.file!.write(batch);
  }

  async close(): Promise<readonly string[]> {
    if (!this.file) await this.open({ predictors: [] });
    const file = this.file!;
    this.file = undefined;
    try {
      return [await file.commit(this.table!.schema)];
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
}
