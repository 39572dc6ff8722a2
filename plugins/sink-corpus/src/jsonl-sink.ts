import { Buffer } from 'node:buffer';
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { AtomicFile, defineStage, KolmoError, type Column, type DocumentBatch, type Sink, type SinkRecord } from '@kolmo/core';
import { z } from 'zod';
import { jsonLines } from './json-lines.ts';

const config = z.object({
  path: z.string().min(1).default('documents.jsonl').describe('output file, relative to the run folder'),
});

/** The corpus as JSON Lines: one object per document, `text` first, then the generator's ground-truth columns. */
export const jsonlSink = defineStage({
  kind: 'sink',
  type: 'jsonl',
  description: 'one JSON object per document (text plus ground-truth columns), written batch by batch, atomic',
  config,
  create: ({ path }, context): Sink => new JsonlSink(resolve(context.runDir, path)),
});

/** `text` then the ground-truth columns, as jsonLines wants them. */
export function documentColumns(documents: DocumentBatch): [string, Column][] {
  if ('text' in documents.columns) throw new KolmoError('output', 'jsonl: a ground-truth column is named "text", which the document text already uses');
  return [['text', documents.text as string[]], ...Object.entries(documents.columns)];
}

class JsonlSink implements Sink {
  private readonly path: string;
  private file: AtomicFile | undefined;

  constructor(path: string) {
    this.path = path;
  }

  async open(): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    this.file = await AtomicFile.create(this.path);
  }

  async write({ documents }: SinkRecord): Promise<void> {
    if (!this.file) await this.open();
    await this.file!.write(Buffer.from(jsonLines(documents.text.length, documentColumns(documents)), 'utf8'));
  }

  async close(): Promise<readonly string[]> {
    if (!this.file) await this.open();
    const file = this.file!;
    this.file = undefined;
    try {
      return [await file.commit()];
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
