import { Buffer } from 'node:buffer';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { RecordBatchFileWriter, RecordBatchStreamWriter, util, type RecordBatch, type Schema } from 'apache-arrow';
import { AtomicFile } from './atomic-file.ts';

/** Arrow IPC stream format (readable as it grows) or file format (footer with an index; `ARROW1` at both ends). */
export type ArrowIpcFormat = 'stream' | 'file';

/**
 * An Arrow IPC file written one record batch at a time through an AtomicFile: each `write` returns once the
 * batch's bytes are on their way to disk, so memory holds one batch, never the table. Every batch must carry
 * the file's schema (Arrow's writer would otherwise silently end the file and start anew).
 */
export class ArrowIpcFile {
  private readonly file: AtomicFile;
  private readonly writer: CollectingStreamWriter | CollectingFileWriter;
  private schema: Schema | undefined;
  private rows = 0;

  private constructor(file: AtomicFile, format: ArrowIpcFormat) {
    this.file = file;
    this.writer = format === 'file' ? new CollectingFileWriter() : new CollectingStreamWriter();
  }

  static async create(path: string, format: ArrowIpcFormat): Promise<ArrowIpcFile> {
    await mkdir(dirname(path), { recursive: true });
    return new ArrowIpcFile(await AtomicFile.create(path), format);
  }

  get path(): string {
    return this.file.path;
  }

  get temporaryPath(): string {
    return this.file.temporaryPath;
  }

  /** Rows written so far. */
  get rowCount(): number {
    return this.rows;
  }

  /** Fixes the schema and writes the header; implied by the first `write`. */
  async start(schema: Schema): Promise<void> {
    if (this.schema) {
      if (!util.compareSchemas(schema, this.schema)) throw new Error(`${this.path}: already started with another schema`);
      return;
    }
    this.schema = schema;
    this.writer.reset(undefined, schema);
    await this.flush();
  }

  async write(batch: RecordBatch): Promise<void> {
    if (!this.schema) await this.start(batch.schema);
    else if (!util.compareSchemas(batch.schema, this.schema)) throw new Error(`${this.path}: every record batch must carry the file's schema`);
    this.writer.write(batch);
    this.rows += batch.numRows;
    await this.flush();
  }

  /** Writes the end-of-stream marker or the file footer, then renames into place. `schema` covers a file with no batch. */
  async commit(schema?: Schema): Promise<string> {
    if (!this.schema) {
      if (!schema) throw new Error(`${this.path}: nothing was written and no schema was given`);
      await this.start(schema);
    }
    this.writer.close();
    await this.flush();
    return this.file.commit();
  }

  async abort(): Promise<void> {
    this.writer.chunks.length = 0;
    await this.file.abort();
  }

  /** Small pieces (message headers, padding) are gathered into one write; large buffers go out as they are. */
  private async flush(): Promise<void> {
    const chunks = this.writer.chunks.splice(0);
    let small: Uint8Array[] = [];
    let smallBytes = 0;
    const writeSmall = async () => {
      if (small.length === 0) return;
      await this.file.write(small.length === 1 ? small[0] : Buffer.concat(small, smallBytes));
      small = [];
      smallBytes = 0;
    };
    for (const chunk of chunks) {
      if (chunk.byteLength >= largeChunkBytes) {
        await writeSmall();
        await this.file.write(chunk);
      } else {
        small.push(chunk);
        smallBytes += chunk.byteLength;
        if (smallBytes >= largeChunkBytes) await writeSmall();
      }
    }
    await writeSmall();
  }
}

const largeChunkBytes = 1 << 16;

/** The writer's bytes as it emits them, instead of into its internal queue (which nothing would drain). */
function asBytes(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  throw new Error(`unexpected Arrow writer output ${Object.prototype.toString.call(chunk)}`);
}

class CollectingStreamWriter extends RecordBatchStreamWriter {
  readonly chunks: Uint8Array[] = [];

  protected override _write(chunk: unknown): this {
    const bytes = asBytes(chunk);
    if (this._started && bytes.byteLength > 0) {
      this.chunks.push(bytes);
      this._position += bytes.byteLength;
    }
    return this;
  }
}

class CollectingFileWriter extends RecordBatchFileWriter {
  readonly chunks: Uint8Array[] = [];

  protected override _write(chunk: unknown): this {
    const bytes = asBytes(chunk);
    if (this._started && bytes.byteLength > 0) {
      this.chunks.push(bytes);
      this._position += bytes.byteLength;
    }
    return this;
  }
}
