import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AtomicFile } from '@kolmo/core';
import { makeData, RecordBatch, RecordBatchStreamWriter, Struct, vectorFromArray, type Schema } from 'apache-arrow';

type ParquetWasm = typeof import('parquet-wasm');
type WasmRecordBatch = import('parquet-wasm').RecordBatch;

/** The codecs parquet-wasm's build carries (LZO is not one of them). */
export const parquetCompressions = ['uncompressed', 'snappy', 'gzip', 'brotli', 'lz4_raw', 'zstd'] as const;
export type ParquetCompression = (typeof parquetCompressions)[number];

export interface ParquetWriteOptions {
  readonly compression: ParquetCompression;
  /** Rows buffered (encoded) before a row group is flushed to disk: the bound on the writer's memory. */
  readonly rowGroupRows: number;
  /** Key-value metadata of the Parquet footer (the Arrow schema travels there too, as `ARROW:schema`). */
  readonly metadata?: ReadonlyMap<string, string>;
  /**
   * Columns to dictionary-encode; every other column is written plain. Dictionaries pay off for repeated
   * values (predictor names, slots) and cost 2-3× in speed on near-unique ones (code lengths, token ids).
   */
  readonly dictionaryColumns?: readonly string[];
}

/**
 * A Parquet file written from Arrow record batches as they come, through parquet-wasm's streaming writer
 * (arrow-rs): batches go in one at a time, each finished row group comes out as bytes and is appended to an
 * AtomicFile, so memory holds about one row group. `commit` writes the footer and renames into place.
 */
export class ParquetStreamFile {
  private readonly file: AtomicFile;
  private readonly wasm: ParquetWasm;
  private readonly input: ReadableStreamDefaultController<WasmRecordBatch>;
  private readonly drained: Promise<void>;
  private demand: Promise<void>;
  private meetDemand: () => void = () => undefined;
  private failure: { error: unknown } | undefined;
  private failed: Promise<never>;
  private started = false;
  private finished = false;

  private constructor(file: AtomicFile, wasm: ParquetWasm, options: ParquetWriteOptions) {
    this.file = file;
    this.wasm = wasm;
    let input!: ReadableStreamDefaultController<WasmRecordBatch>;
    this.demand = this.nextDemand();
    // highWaterMark 0: the writer asks for each batch only when it is ready for it, which paces `write`.
    const batches = new ReadableStream<WasmRecordBatch>({ start: (c) => void (input = c), pull: () => this.meetDemand() }, { highWaterMark: 0 });
    this.input = input;
    let fail!: (error: unknown) => void;
    this.failed = new Promise<never>((_, reject) => (fail = reject));
    this.failed.catch(() => undefined);
    this.drained = (async () => {
      // parquet-wasm reads the first batch (for the schema) before it returns the output stream.
      const bytes: ReadableStream<Uint8Array> = await wasm.transformParquetStream(batches, writerProperties(wasm, options));
      for await (const chunk of bytes) await file.write(chunk);
    })().catch((error: unknown) => {
      this.failure = { error };
      fail(error);
    });
  }

  static async create(path: string, options: ParquetWriteOptions): Promise<ParquetStreamFile> {
    const wasm = await import('parquet-wasm'); // 5 MB of WebAssembly: compiled only when a Parquet sink runs
    await mkdir(dirname(path), { recursive: true });
    return new ParquetStreamFile(await AtomicFile.create(path), wasm, options);
  }

  get path(): string {
    return this.file.path;
  }

  async write(batch: RecordBatch): Promise<void> {
    if (this.finished) throw new Error(`${this.path} is already closed`);
    // Arrow JS → IPC bytes → Arrow in WebAssembly memory; the JS batch is free once this returns.
    const table = this.wasm.Table.fromIPCStream(RecordBatchStreamWriter.writeAll([batch]).toUint8Array(true));
    try {
      for (const wasmBatch of table.recordBatches()) await this.send(wasmBatch);
    } finally {
      table.free();
    }
  }

  /** Ends the file; `schema` gives a run without any batch a valid, empty file. */
  async commit(schema?: Schema): Promise<string> {
    if (!this.started) {
      if (!schema) throw new Error(`${this.path}: nothing was written and no schema was given`);
      await this.write(emptyBatch(schema));
    }
    this.finished = true;
    this.input.close();
    await this.drained;
    if (this.failure) throw this.failure.error;
    return this.file.commit();
  }

  async abort(): Promise<void> {
    if (!this.finished) {
      this.finished = true;
      this.input.error(new Error('aborted'));
    }
    await this.drained;
    await this.file.abort();
  }

  private async send(batch: WasmRecordBatch): Promise<void> {
    this.started = true;
    await Promise.race([this.demand, this.failed]);
    this.demand = this.nextDemand();
    this.input.enqueue(batch);
  }

  private nextDemand(): Promise<void> {
    return new Promise<void>((resolve) => (this.meetDemand = resolve));
  }
}

function writerProperties(wasm: ParquetWasm, { compression, rowGroupRows, metadata, dictionaryColumns }: ParquetWriteOptions) {
  const codecs: Record<ParquetCompression, number> = {
    uncompressed: wasm.Compression.UNCOMPRESSED,
    snappy: wasm.Compression.SNAPPY,
    gzip: wasm.Compression.GZIP,
    brotli: wasm.Compression.BROTLI,
    lz4_raw: wasm.Compression.LZ4_RAW,
    zstd: wasm.Compression.ZSTD,
  };
  let builder = new wasm.WriterPropertiesBuilder()
    .setCompression(codecs[compression])
    .setMaxRowGroupSize(rowGroupRows)
    .setStatisticsEnabled(wasm.EnabledStatistics.Chunk) // min/max per row group, for readers that skip row groups
    .setCreatedBy('kolmo (parquet-wasm 0.8)');
  if (metadata && metadata.size > 0) builder = builder.setKeyValueMetadata(new Map(metadata));
  if (dictionaryColumns) {
    builder = builder.setDictionaryEnabled(false);
    for (const column of dictionaryColumns) builder = builder.setColumnDictionaryEnabled(column, true);
  }
  return builder.build();
}

function emptyBatch(schema: Schema): RecordBatch {
  const children = schema.fields.map((field) => vectorFromArray([], field.type).data[0]);
  return new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: 0, children }));
}
