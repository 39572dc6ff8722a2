import { crc32 } from 'node:zlib';
import { KolmoError, z } from '@kolmo/core';
import { maxTotalBits } from './range-coder-window.ts';

/**
 * The compressed container, version 1 (all integers big-endian):
 *
 *   0      4  magic "KLMZ"
 *   4      1  version (1)
 *   5      4  h = length of the header JSON
 *   9      h  header JSON (UTF-8): { model, parameters, precision, length }
 *   9+h    4  CRC-32 of bytes [0, 9+h): the header is checked before any decoding
 *   13+h   p  payload: the range-coded bytes
 *   end−44 8  p, the payload length
 *   end−36 32 SHA-256 of the original bytes
 *   end−4  4  CRC-32 of the 40 trailer bytes before it
 *
 * The checksum and payload length sit in a trailer so a file can be written in one streaming pass. Reading
 * checks everything it can before decoding (magic, version, header CRC and shape, trailer CRC, sizes), and the
 * decoded bytes are accepted only if their SHA-256 matches.
 */
export const containerMagic = Uint8Array.of(0x4b, 0x4c, 0x4d, 0x5a); // "KLMZ"
export const containerVersion = 1;
export const maxContainerHeaderBytes = 1 << 16;
const prefixBytes = 9;
const headerCrcBytes = 4;
export const containerTrailerBytes = 44;
const checksumBytes = 32;

export interface ContainerHeader {
  /** The byte model's id (e.g. `adaptive-bytes`, `byte-cm`). */
  readonly model: string;
  /** The model's parameters, defaults filled in. */
  readonly parameters: Record<string, unknown>;
  /** The precision P the codec was built with. */
  readonly precision: number;
  /** The original length in bytes. */
  readonly length: number;
}

const headerSchema = z.strictObject({
  model: z.string().min(1),
  parameters: z.record(z.string(), z.unknown()),
  precision: z.number().int().min(1).max(maxTotalBits),
  length: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
});

/** The container's opened parts; `payload` and `checksum` are views into the input. */
export interface OpenedContainer {
  readonly header: ContainerHeader;
  readonly payload: Uint8Array;
  readonly checksum: Uint8Array;
}

/** Magic, version, header JSON and its CRC: everything before the payload. */
export function containerHead(header: ContainerHeader): Uint8Array {
  const json = Buffer.from(JSON.stringify(headerSchema.parse(header)), 'utf8');
  if (json.length > maxContainerHeaderBytes) {
    throw new KolmoError('invalidSpec', `container header: the model parameters take ${json.length} bytes of JSON; at most ${maxContainerHeaderBytes} are allowed`);
  }
  const head = new Uint8Array(prefixBytes + json.length + headerCrcBytes);
  const view = new DataView(head.buffer);
  head.set(containerMagic, 0);
  head[4] = containerVersion;
  view.setUint32(5, json.length);
  head.set(json, prefixBytes);
  view.setUint32(prefixBytes + json.length, crc32(head.subarray(0, prefixBytes + json.length)));
  return head;
}

/** Payload length, SHA-256 of the original and the trailer's CRC: everything after the payload. */
export function containerTrailer(payloadLength: number, checksum: Uint8Array): Uint8Array {
  if (checksum.length !== checksumBytes) throw new RangeError(`container trailer: the checksum must be ${checksumBytes} bytes (SHA-256)`);
  const trailer = new Uint8Array(containerTrailerBytes);
  const view = new DataView(trailer.buffer);
  view.setUint32(0, Math.floor(payloadLength / 2 ** 32));
  view.setUint32(4, payloadLength >>> 0);
  trailer.set(checksum, 8);
  view.setUint32(40, crc32(trailer.subarray(0, 40)));
  return trailer;
}

/** A whole container in memory. */
export function encodeContainer(header: ContainerHeader, payload: Uint8Array, checksum: Uint8Array): Uint8Array {
  const head = containerHead(header);
  const out = new Uint8Array(head.length + payload.length + containerTrailerBytes);
  out.set(head, 0);
  out.set(payload, head.length);
  out.set(containerTrailer(payload.length, checksum), head.length + payload.length);
  return out;
}

/**
 * Opens a container, checking everything but the payload itself; `label` names it in errors (a file path).
 * Throws KolmoError('input') saying what is wrong: not a container, another version, truncated, bytes appended,
 * header or trailer corrupted.
 */
export function openContainer(bytes: Uint8Array, label = 'input'): OpenedContainer {
  const fail = (message: string) => new KolmoError('input', `${label}: ${message}`);
  const hasMagic = bytes.length >= containerMagic.length && containerMagic.every((byte, i) => bytes[i] === byte);
  if (!hasMagic) {
    const prefixOfMagic = bytes.length < containerMagic.length && bytes.every((byte, i) => byte === containerMagic[i]);
    throw fail(prefixOfMagic ? 'truncated: too short to be a kolmo container' : 'not a kolmo container (no "KLMZ" magic at the start)');
  }
  if (bytes.length < prefixBytes) throw fail('truncated: the container ends inside its header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = bytes[4];
  if (version !== containerVersion) {
    throw fail(`container version ${version} is not supported (this kolmo reads version ${containerVersion})`);
  }
  const jsonLength = view.getUint32(5);
  if (jsonLength > maxContainerHeaderBytes) throw fail(`corrupted header: it claims ${jsonLength} bytes of JSON (at most ${maxContainerHeaderBytes})`);
  const headEnd = prefixBytes + jsonLength + headerCrcBytes;
  if (bytes.length < headEnd) throw fail('truncated: the container ends inside its header');
  if (view.getUint32(headEnd - headerCrcBytes) !== crc32(bytes.subarray(0, headEnd - headerCrcBytes))) {
    throw fail('corrupted header (CRC-32 mismatch)');
  }
  const header = parseHeader(bytes.subarray(prefixBytes, prefixBytes + jsonLength), fail);
  if (bytes.length < headEnd + containerTrailerBytes) throw fail('truncated: the container ends before its trailer');
  const trailerStart = bytes.length - containerTrailerBytes;
  if (view.getUint32(trailerStart + 40) !== crc32(bytes.subarray(trailerStart, trailerStart + 40))) {
    throw fail('truncated, has bytes appended, or its trailer is corrupted (no valid trailer at the end)');
  }
  const payloadLength = view.getUint32(trailerStart) * 2 ** 32 + view.getUint32(trailerStart + 4);
  const found = trailerStart - headEnd;
  if (payloadLength !== found) {
    throw fail(`${found < payloadLength ? 'truncated' : 'has extra bytes'}: the payload should be ${payloadLength} bytes, found ${found}`);
  }
  return {
    header,
    payload: bytes.subarray(headEnd, trailerStart),
    checksum: bytes.subarray(trailerStart + 8, trailerStart + 8 + checksumBytes),
  };
}

function parseHeader(json: Uint8Array, fail: (message: string) => KolmoError): ContainerHeader {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(json));
  } catch {
    throw fail('corrupted header: not valid UTF-8 JSON');
  }
  const parsed = headerSchema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(header)'}: ${issue.message}`);
    throw fail(`malformed header: ${problems.join('; ')}`);
  }
  return parsed.data;
}
