import { createHash } from 'node:crypto';
import { open, readFile } from 'node:fs/promises';
import { AtomicFile, KolmoError, type SymbolCodec } from '@kolmo/core';
import type { ByteModel, ByteModelLookup } from './byte-model.ts';
import { containerHead, containerTrailer, containerTrailerBytes, openContainer, type ContainerHeader } from '@kolmo/entropy-coding';
import { RangeDecoder, defaultPrecision, maxTotalBits, RangeEncoder } from '@kolmo/entropy-coding';

/** Called after each chunk: bytes of the original done so far, and their total. */
export type ProgressCallback = (done: number, total: number) => void;

export interface CompressOptions {
  /** The model's parameters; the model checks them and fills in defaults (they go into the container). */
  readonly parameters?: unknown;
  /** P, the frequency precision in bits (default 24; theory §8). */
  readonly precision?: number;
  readonly onProgress?: ProgressCallback;
}

export interface DecompressOptions {
  /** Refuse a container made with another model. */
  readonly expectedModel?: string;
  readonly onProgress?: ProgressCallback;
  /** Names the input in errors (a file path); `input` by default. */
  readonly label?: string;
}

export interface CompressionSummary {
  readonly header: ContainerHeader;
  readonly inputBytes: number;
  /** The whole container's size. */
  readonly outputBytes: number;
  readonly payloadBytes: number;
  /** Σ −log2 of the quantized probabilities the codec used: what an ideal coder would have paid. */
  readonly idealBits: number;
}

export interface DecompressionSummary {
  readonly header: ContainerHeader;
  readonly inputBytes: number;
  readonly outputBytes: number;
}

/** Original bytes between progress reports (and the chunk size of file reads and writes). */
const chunkBytes = 1 << 16;

/** Compresses bytes in memory into a container (see container.ts) with `model`. */
export async function compressBytes(data: Uint8Array, model: ByteModel, options: CompressOptions = {}): Promise<Uint8Array> {
  const pieces: Uint8Array[] = [];
  await encodeStream(chunksOf(data), data.length, model, options, (piece) => void pieces.push(piece));
  return concatenate(pieces);
}

/**
 * Decompresses a container in memory. The model comes from `models` by the id the container records.
 * Returns only data whose SHA-256 matches the container's; anything else is a KolmoError('input').
 */
export async function decompressBytes(container: Uint8Array, models: ByteModelLookup, options: DecompressOptions = {}): Promise<Uint8Array> {
  const pieces: Uint8Array[] = [];
  await decodeStream(container, models, options, (piece) => void pieces.push(piece.slice()));
  return concatenate(pieces);
}

/** Compresses a file into a container file, streaming, written atomically (no partial file on failure). */
export async function compressFile(
  input: string,
  output: string,
  options: CompressOptions & { readonly model: ByteModel },
): Promise<CompressionSummary> {
  const handle = await open(input, 'r').catch((error: unknown) => {
    throw new KolmoError('input', `cannot read ${input}: ${codeOf(error)}`, { cause: error });
  });
  try {
    const { size } = await handle.stat();
    const file = await AtomicFile.create(output);
    try {
      const summary = await encodeStream(fileChunks(handle, size, input), size, options.model, options, (piece) => file.write(piece));
      await file.commit();
      return summary;
    } catch (error) {
      await file.abort();
      throw error;
    }
  } finally {
    await handle.close();
  }
}

/** Decompresses a container file, written atomically: the output appears only once its checksum matched. */
export async function decompressFile(
  input: string,
  output: string,
  options: DecompressOptions & { readonly models: ByteModelLookup },
): Promise<DecompressionSummary> {
  const container = await readFile(input).catch((error: unknown) => {
    throw new KolmoError('input', `cannot read ${input}: ${codeOf(error)}`, { cause: error });
  });
  const file = await AtomicFile.create(output);
  try {
    const summary = await decodeStream(container, options.models, { label: input, ...options }, (piece) => file.write(piece));
    await file.commit();
    return summary;
  } catch (error) {
    await file.abort();
    throw error;
  }
}

async function encodeStream(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  length: number,
  model: ByteModel,
  options: CompressOptions,
  write: (bytes: Uint8Array) => Promise<void> | void,
): Promise<CompressionSummary> {
  const precision = options.precision ?? defaultPrecision;
  if (!Number.isInteger(precision) || precision < 1 || precision > maxTotalBits) {
    throw new KolmoError('invalidSpec', `precision: must be an integer in [1, ${maxTotalBits}] bits, got ${precision} (theory §8 asks for P ≥ 24)`);
  }
  const parameters = model.parameters(options.parameters);
  const codec = await model.codec(parameters, precision);
  const header: ContainerHeader = { model: model.id, parameters, precision, length };
  const head = containerHead(header);
  await write(head);
  const encoder = new RangeEncoder();
  codec.beginDocument?.(); // the input is one document
  const hash = createHash('sha256');
  let done = 0;
  let idealBits = 0;
  let payloadBytes = 0;
  for await (const chunk of chunks) {
    hash.update(chunk);
    for (let i = 0; i < chunk.length; i++) idealBits += codec.encode(chunk[i], encoder);
    done += chunk.length;
    const bytes = encoder.take();
    payloadBytes += bytes.length;
    if (bytes.length > 0) await write(bytes);
    options.onProgress?.(done, length);
  }
  if (done !== length) throw new KolmoError('input', `the input changed while being read: expected ${length} bytes, read ${done}`);
  const tail = encoder.finish();
  payloadBytes += tail.length;
  await write(tail);
  await write(containerTrailer(payloadBytes, hash.digest()));
  if (length === 0) options.onProgress?.(0, 0);
  return { header, inputBytes: length, outputBytes: head.length + payloadBytes + containerTrailerBytes, payloadBytes, idealBits };
}

async function decodeStream(
  container: Uint8Array,
  models: ByteModelLookup,
  options: DecompressOptions,
  write: (bytes: Uint8Array) => Promise<void> | void,
): Promise<DecompressionSummary> {
  const label = options.label ?? 'input';
  const { header, payload, checksum } = openContainer(container, label);
  const refuse = (message: string, cause?: unknown) => new KolmoError('input', `${label}: ${message}`, { cause });
  if (options.expectedModel !== undefined && header.model !== options.expectedModel) {
    throw refuse(`it was made with model "${header.model}", not the expected "${options.expectedModel}"`);
  }
  const model = models.get(header.model);
  if (!model) {
    throw refuse(`it was made with model "${header.model}", which is not available here (known models: ${models.ids().join(', ') || 'none'})`);
  }
  let codec: SymbolCodec;
  try {
    codec = await model.codec(model.parameters(header.parameters), header.precision);
  } catch (error) {
    throw refuse(`its model "${header.model}" cannot be rebuilt from the recorded parameters: ${messageOf(error)}`, error);
  }
  const hash = createHash('sha256');
  const buffer = new Uint8Array(Math.min(chunkBytes, header.length));
  const decoder = decoding(refuse, () => new RangeDecoder(payload));
  codec.beginDocument?.();
  for (let done = 0; done < header.length; ) {
    const piece = buffer.subarray(0, Math.min(buffer.length, header.length - done));
    decoding(refuse, () => decodeBytes(codec, decoder, piece));
    hash.update(piece);
    await write(piece);
    done += piece.length;
    options.onProgress?.(done, header.length);
  }
  decoding(refuse, () => decoder.finish());
  if (!hash.digest().equals(checksum)) {
    throw refuse('checksum mismatch: the decoded bytes differ from the original (the container is corrupted)');
  }
  if (header.length === 0) options.onProgress?.(0, 0);
  return { header, inputBytes: container.length, outputBytes: header.length };
}

function decodeBytes(codec: SymbolCodec, decoder: RangeDecoder, out: Uint8Array): void {
  for (let i = 0; i < out.length; i++) {
    const symbol = codec.decode(decoder);
    if (!(symbol >= 0 && symbol <= 255 && Number.isInteger(symbol))) throw new Error(`the model decoded ${symbol}, not a byte`);
    out[i] = symbol;
  }
}

/** Runs one decoding step; whatever it throws (corrupted payloads throw from anywhere) becomes an input error. */
function decoding<T>(refuse: (message: string, cause?: unknown) => KolmoError, step: () => T): T {
  try {
    return step();
  } catch (error) {
    throw refuse(`cannot be decoded: ${messageOf(error)}`, error);
  }
}

function* chunksOf(data: Uint8Array): Generator<Uint8Array> {
  for (let start = 0; start < data.length; start += chunkBytes) yield data.subarray(start, start + chunkBytes);
}

async function* fileChunks(handle: import('node:fs/promises').FileHandle, size: number, path: string): AsyncGenerator<Uint8Array> {
  const buffer = new Uint8Array(chunkBytes);
  let position = 0;
  for (;;) {
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
    if (bytesRead === 0) break;
    position += bytesRead;
    if (position > size) throw new KolmoError('input', `${path} grew while being read (it had ${size} bytes)`);
    yield buffer.subarray(0, bytesRead);
  }
}

function concatenate(pieces: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const piece of pieces) length += piece.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const piece of pieces) {
    out.set(piece, offset);
    offset += piece.length;
  }
  return out;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function codeOf(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? messageOf(error);
}
