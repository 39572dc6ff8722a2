import { readFile } from 'node:fs/promises';
import { KolmoError } from '@kolmo/core';

/**
 * A GGUF file (llama.cpp's model format, v2/v3) read whole: its metadata and its f32 tensors. Written here
 * because the format is small (a header, typed key–values, tensor descriptors, aligned data) and
 * node-llama-cpp's reader gives metadata only, while the vocabulary and the reference forward pass need both.
 * Only f32 tensors can be read as numbers; other types are listed but refused by `tensor()`.
 */
export class GgufFile {
  readonly path: string;
  readonly version: number;
  readonly metadata: ReadonlyMap<string, GgufValue>;
  readonly tensors: ReadonlyMap<string, GgufTensorInfo>;
  private readonly bytes: Uint8Array;
  private readonly dataStart: number;

  private constructor(path: string, bytes: Uint8Array) {
    this.path = path;
    this.bytes = bytes;
    const reader = new Reader(bytes, path);
    if (bytes.length < 24 || reader.u32() !== GGUF_MAGIC) {
      throw new KolmoError('input', `${path}: not a GGUF file (it does not start with "GGUF")`);
    }
    this.version = reader.u32();
    if (this.version < 2 || this.version > 3) throw new KolmoError('input', `${path}: GGUF version ${this.version}; version 2 or 3 can be read`);
    const tensorCount = reader.u64();
    const keyCount = reader.u64();
    const metadata = new Map<string, GgufValue>();
    for (let k = 0; k < keyCount; k++) {
      const key = reader.string();
      metadata.set(key, reader.value(reader.u32()));
    }
    const tensors = new Map<string, GgufTensorInfo>();
    for (let t = 0; t < tensorCount; t++) {
      const name = reader.string();
      const dimensions = reader.u32();
      // GGUF lists dimensions innermost first (ggml's ne[0] = columns); shape is torch's order, outermost first.
      const shape: number[] = [];
      for (let d = 0; d < dimensions; d++) shape.unshift(reader.u64());
      const type = reader.u32();
      const offset = reader.u64();
      tensors.set(name, { name, shape, type, offset });
    }
    const alignment = Number(metadata.get('general.alignment') ?? 32);
    this.dataStart = Math.ceil(reader.position / alignment) * alignment;
    this.metadata = metadata;
    this.tensors = tensors;
  }

  static async read(path: string): Promise<GgufFile> {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(path);
    } catch (error) {
      throw new KolmoError('input', `${path}: cannot read the GGUF file (${(error as Error).message})`, { cause: error });
    }
    return new GgufFile(path, bytes);
  }

  /** A metadata value, checked to exist and to have the expected JavaScript type. */
  get<T extends GgufValue>(key: string, check: (value: GgufValue) => value is T, what: string): T {
    const value = this.metadata.get(key);
    if (value === undefined || !check(value)) throw new KolmoError('input', `${this.path}: metadata ${key} is missing or not ${what}`);
    return value;
  }

  number(key: string): number {
    return Number(this.get(key, (v): v is number | bigint => typeof v === 'number' || typeof v === 'bigint', 'a number'));
  }

  strings(key: string): readonly string[] {
    return this.get(key, (v): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string'), 'a list of strings');
  }

  /** An f32 tensor's values in row-major order of `shape` (a copy, aligned for Float32Array). */
  tensor(name: string): { readonly shape: readonly number[]; readonly values: Float32Array } {
    const info = this.tensors.get(name);
    if (!info) throw new KolmoError('input', `${this.path}: no tensor ${name}`);
    if (info.type !== GGUF_TENSOR_F32) throw new KolmoError('input', `${this.path}: tensor ${name} has ggml type ${info.type}; only f32 (0) can be read`);
    const count = info.shape.reduce((a, b) => a * b, 1);
    const start = this.dataStart + info.offset;
    if (start + 4 * count > this.bytes.length) throw new KolmoError('input', `${this.path}: tensor ${name} runs past the end of the file (truncated?)`);
    const values = new Float32Array(count);
    new Uint8Array(values.buffer).set(this.bytes.subarray(start, start + 4 * count));
    return { shape: info.shape, values };
  }
}

export type GgufValue = number | bigint | boolean | string | readonly GgufValue[];

export interface GgufTensorInfo {
  readonly name: string;
  /** Torch's order: outermost first, e.g. (out, in) for a linear layer's weight. */
  readonly shape: readonly number[];
  /** ggml type: 0 is f32. */
  readonly type: number;
  /** Byte offset inside the data section. */
  readonly offset: number;
}

const GGUF_MAGIC = 0x46554747; // "GGUF" little-endian
const GGUF_TENSOR_F32 = 0;

class Reader {
  position = 0;
  private readonly view: DataView;
  private readonly bytes: Uint8Array;
  private readonly path: string;
  private readonly decoder = new TextDecoder('utf-8', { fatal: false });

  constructor(bytes: Uint8Array, path: string) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.path = path;
  }

  private need(count: number): number {
    const at = this.position;
    if (at + count > this.bytes.length) throw new KolmoError('input', `${this.path}: GGUF header truncated at byte ${at}`);
    this.position += count;
    return at;
  }

  u32(): number {
    return this.view.getUint32(this.need(4), true);
  }

  u64(): number {
    const value = this.view.getBigUint64(this.need(8), true);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new KolmoError('input', `${this.path}: a GGUF count or size (${value}) is implausibly large`);
    return Number(value);
  }

  string(): string {
    const length = this.u64();
    const at = this.need(length);
    return this.decoder.decode(this.bytes.subarray(at, at + length));
  }

  value(type: number): GgufValue {
    const v = this.view;
    switch (type) {
      case 0: return v.getUint8(this.need(1));
      case 1: return v.getInt8(this.need(1));
      case 2: return v.getUint16(this.need(2), true);
      case 3: return v.getInt16(this.need(2), true);
      case 4: return v.getUint32(this.need(4), true);
      case 5: return v.getInt32(this.need(4), true);
      case 6: return v.getFloat32(this.need(4), true);
      case 7: return v.getUint8(this.need(1)) !== 0;
      case 8: return this.string();
      case 9: {
        const itemType = this.u32();
        const count = this.u64();
        const items: GgufValue[] = new Array(count);
        for (let i = 0; i < count; i++) items[i] = this.value(itemType);
        return items;
      }
      case 10: return v.getBigUint64(this.need(8), true);
      case 11: return v.getBigInt64(this.need(8), true);
      case 12: return v.getFloat64(this.need(8), true);
      default: throw new KolmoError('input', `${this.path}: unknown GGUF value type ${type} at byte ${this.position - 4}`);
    }
  }
}
