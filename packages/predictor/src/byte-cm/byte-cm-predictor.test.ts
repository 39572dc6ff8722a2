import { readFileSync } from 'node:fs';
import { RangeDecoder, RangeEncoder } from '@kolmo/entropy-coding';
import { KolmoError, Rng, type TokenBatch } from '@kolmo/core';
import { describe, expect, it } from 'vitest';
import { ByteCmPredictor } from './byte-cm-predictor.ts';

const repositoryRoot = new URL('../../../../', import.meta.url);
const alice = readFileSync(new URL('examples/corpora/alice29.txt', repositoryRoot));
const asyoulikPath = new URL('examples/corpora/asyoulik.txt', repositoryRoot).pathname;

function bytesBatch(data: Uint8Array): TokenBatch {
  return { length: data.length, ids: Int32Array.from(data) } as TokenBatch;
}

function total(bits: Float64Array): number {
  let sum = 0;
  for (const b of bits) sum += b;
  return sum;
}

/** Bits per byte of a fresh default predictor over `data`, scored in one batch. */
function bitsPerByte(data: Uint8Array): number {
  return total(new ByteCmPredictor().score(bytesBatch(data))) / data.length;
}

describe('byte-cm predictor', () => {
  // Reference points (corpora README): bzip2 -9 2.272, PPMd order 5 ≈ 2.1, PAQ8 ≈ 1.8. Measured: 1.933.
  it('codes alice29.txt below 2.0 bits per byte', () => {
    expect(bitsPerByte(alice)).toBeLessThan(2.0);
  });

  // bzip2 -9 2.528, xz -9e 2.849. Measured: 2.188.
  it('codes asyoulik.txt below 2.25 bits per byte', () => {
    expect(bitsPerByte(readFileSync(asyoulikPath))).toBeLessThan(2.25);
  });

  it('is deterministic and blind to batch boundaries', () => {
    const text = alice.subarray(0, 12000);
    const once = new ByteCmPredictor().score(bytesBatch(text));
    const again = new ByteCmPredictor().score(bytesBatch(text));
    expect(again).toEqual(once);
    const split = new ByteCmPredictor();
    const pieces = [split.score(bytesBatch(text.subarray(0, 7))), split.score(bytesBatch(text.subarray(7, 5000))), split.score(bytesBatch(text.subarray(5000)))];
    expect(Float64Array.from(pieces.flatMap((piece) => [...piece]))).toEqual(once);
  });

  it('codes with exactly the bits it scores, and the range coder gives the bytes back', () => {
    const text = alice.subarray(40000, 50000);
    const scored = new ByteCmPredictor().score(bytesBatch(text));
    const encoder = new RangeEncoder();
    const codec = new ByteCmPredictor().codec();
    const coded = Float64Array.from(text, (byte) => codec.encode(byte, encoder));
    expect(coded).toEqual(scored);
    const bytes = encoder.finish();
    // the range coder adds only its ending (a couple of bytes) and rounding far below a byte
    expect(bytes.length * 8).toBeGreaterThanOrEqual(total(scored) - 8);
    expect(bytes.length * 8).toBeLessThan(total(scored) + 32);
    const decoder = new RangeDecoder(bytes);
    const decodeCodec = new ByteCmPredictor().codec();
    const decoded = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) decoded[i] = decodeCodec.decode(decoder);
    decoder.finish();
    expect(Buffer.from(decoded).equals(text)).toBe(true);
  });

  it('round-trips incompressible and degenerate inputs, and costs about 8 bits a byte on random bytes', () => {
    const rng = new Rng(7, 'byte-cm-roundtrip');
    const random = Uint8Array.from({ length: 4000 }, () => Math.floor(rng.nextFloat() * 256));
    const inputs = [random, new Uint8Array(3000), Uint8Array.from({ length: 3000 }, (_, i) => (i % 3 === 0 ? 255 : i & 1)), new Uint8Array(0)];
    for (const data of inputs) {
      const encoder = new RangeEncoder();
      const codec = new ByteCmPredictor({ memory: 16, orders: [1, 2, 3, 4, 6], words: true, matchMinLength: 4 }).codec();
      let bits = 0;
      for (const byte of data) bits += codec.encode(byte, encoder);
      const decoder = new RangeDecoder(encoder.finish());
      const decodeCodec = new ByteCmPredictor({ memory: 16, orders: [1, 2, 3, 4, 6], words: true, matchMinLength: 4 }).codec();
      const decoded = Uint8Array.from(data, () => decodeCodec.decode(decoder));
      decoder.finish();
      expect(decoded).toEqual(data);
      if (data === random) {
        // an adaptive model pays for learning that nothing is predictable, but not much
        expect(bits / data.length).toBeGreaterThan(7.95);
        expect(bits / data.length).toBeLessThan(8.1);
      } else if (data.length > 0) {
        expect(bits / data.length).toBeLessThan(0.1);
      }
    }
  });

  it('refuses tokens that are not bytes', () => {
    const predictor = new ByteCmPredictor({ memory: 16, orders: [1, 2], words: false, matchMinLength: 0 });
    expect(() => predictor.score(bytesBatch(Int32Array.of(65, 300) as unknown as Uint8Array))).toThrow(KolmoError);
    expect(() => predictor.codec().encode(256, new RangeEncoder())).toThrow(/not a byte/);
  });
});
