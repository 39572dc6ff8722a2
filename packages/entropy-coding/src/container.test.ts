import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { containerHead, containerTrailer, encodeContainer, openContainer, type ContainerHeader } from './container.ts';

const header: ContainerHeader = { model: 'adaptive-bytes', parameters: { prior: 0.5 }, precision: 24, length: 11 };
const payload = Uint8Array.from([9, 8, 7, 6, 5]);
const checksum = new Uint8Array(32).fill(0xab);
const container = encodeContainer(header, payload, checksum);

/** Replaces the header JSON and recomputes its CRC: a well-formed container with a header of our choosing. */
function withHeaderJson(json: string): Uint8Array {
  const text = Buffer.from(json);
  const head = new Uint8Array(9 + text.length + 4);
  head.set(container.subarray(0, 5));
  new DataView(head.buffer).setUint32(5, text.length);
  head.set(text, 9);
  new DataView(head.buffer).setUint32(9 + text.length, crc32(head.subarray(0, 9 + text.length)));
  return Buffer.concat([head, payload, containerTrailer(payload.length, checksum)]);
}

describe('container format', () => {
  it('lays out magic, version, header with CRC, payload, trailer, and opens back to the same parts', () => {
    expect(Buffer.from(container.subarray(0, 4)).toString('latin1')).toBe('KLMZ');
    expect(container[4]).toBe(1);
    const opened = openContainer(container);
    expect(opened.header).toEqual(header);
    expect([...opened.payload]).toEqual([...payload]);
    expect([...opened.checksum]).toEqual([...checksum]);
    expect(container.length).toBe(containerHead(header).length + payload.length + 44);
  });

  it('refuses what is not a container', () => {
    expect(() => openContainer(new Uint8Array(0))).toThrow(/input: truncated: too short to be a kolmo container/);
    expect(() => openContainer(Buffer.from('hello world, plain text'))).toThrow(/input: not a kolmo container \(no "KLMZ" magic/);
    expect(() => openContainer(Buffer.from('KLMZ'), 'x.kz')).toThrow(/x\.kz: truncated/);
  });

  it('refuses another version, saying which it reads', () => {
    const future = container.slice();
    future[4] = 2;
    expect(() => openContainer(future)).toThrow(/container version 2 is not supported \(this kolmo reads version 1\)/);
  });

  it('refuses every truncation', () => {
    for (let length = 0; length < container.length; length++) {
      expect(() => openContainer(container.subarray(0, length))).toThrow(/truncated/);
    }
  });

  it('refuses appended bytes', () => {
    for (const extra of [[0], [1, 2, 3], Array.from(container.subarray(-44))]) {
      expect(() => openContainer(Buffer.concat([container, Uint8Array.from(extra)]))).toThrow(/bytes appended|extra bytes/);
    }
  });

  it('refuses a header or trailer with any bit flipped', () => {
    const headEnd = containerHead(header).length;
    for (let bit = 0; bit < container.length * 8; bit++) {
      const byte = bit >> 3;
      if (byte >= headEnd && byte < headEnd + payload.length) continue; // the payload is checked by decoding
      const damaged = container.slice();
      damaged[byte] ^= 1 << (bit & 7);
      expect(() => openContainer(damaged)).toThrow(/magic|version|corrupted header|truncated|trailer/);
    }
  });

  it('refuses a well-formed header with a bad shape, naming the field', () => {
    expect(() => openContainer(withHeaderJson('{"model":"m","parameters":{},"precision":40,"length":3}'))).toThrow(
      /malformed header: precision: /,
    );
    expect(() => openContainer(withHeaderJson('{"model":"m","parameters":{},"precision":24}'))).toThrow(/malformed header: length: /);
    expect(() => openContainer(withHeaderJson('{"model":"m","parameters":{},"precision":24,"length":1,"x":1}'))).toThrow(/malformed header/);
    expect(() => openContainer(withHeaderJson('not json'))).toThrow(/corrupted header: not valid UTF-8 JSON/);
    expect(openContainer(withHeaderJson(JSON.stringify(header))).header).toEqual(header);
  });

  it('refuses a payload length that disagrees with the bytes present', () => {
    const head = containerHead(header);
    const lying = Buffer.concat([head, payload, containerTrailer(payload.length + 1, checksum)]);
    expect(() => openContainer(lying)).toThrow(/truncated: the payload should be 6 bytes, found 5/);
    const short = Buffer.concat([head, payload, containerTrailer(payload.length - 1, checksum)]);
    expect(() => openContainer(short)).toThrow(/has extra bytes: the payload should be 4 bytes, found 5/);
  });
});
