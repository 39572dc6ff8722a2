import { isKolmoError } from '@kolmo/core';
import { describe, expect, it } from 'vitest';
import { quantizeFrequencies } from './frequency-quantizer.ts';
import { FrequencyTableCodec } from './frequency-table-codec.ts';
import { RangeDecoder } from './range-decoder.ts';
import { RangeEncoder } from './range-encoder.ts';

const totalBits = 24;
// A table with two unused corners of tiny probability: random bytes land outside the coded interval soon.
const codec = new FrequencyTableCodec(quantizeFrequencies([1e-9, 1, 2, 3, 4, 1e-9], totalBits), totalBits);
const symbols = Array.from({ length: 2000 }, (_, i) => 1 + ((i * 31) % 4));

function encoded(): Uint8Array {
  const encoder = new RangeEncoder();
  for (const s of symbols) codec.encode(s, encoder);
  return encoder.finish();
}

function decodeAll(bytes: Uint8Array, count = symbols.length): number[] {
  const decoder = new RangeDecoder(bytes);
  const out = Array.from({ length: count }, () => codec.decode(decoder));
  decoder.finish();
  return out;
}

describe('RangeDecoder on damaged input', () => {
  it('decodes the intact stream', () => {
    expect(decodeAll(encoded())).toEqual(symbols);
  });

  it('stops with an input error when asked for far more symbols than were coded', () => {
    expect(() => decodeAll(encoded(), 100_000)).toThrow(/corrupted payload: the decoder (ran past the end|left its interval)/);
  });

  it('notices bytes that were never read', () => {
    const bytes = encoded();
    const longer = new Uint8Array(bytes.length + 3);
    longer.set(bytes);
    expect(() => decodeAll(longer)).toThrow(/bytes after the last symbol were never read/);
  });

  it('throws only input errors, or decodes other symbols, when any single bit is flipped', () => {
    const bytes = encoded();
    let refused = 0;
    for (let bit = 0; bit < bytes.length * 8; bit += bit < (bytes.length - 2) * 8 ? 7 : 1) {
      const damaged = bytes.slice();
      damaged[bit >> 3] ^= 1 << (bit & 7);
      try {
        // A flip changes the coded value; only the ending's bits may stay inside the last symbol's interval.
        if (bit < (bytes.length - 2) * 8) expect(decodeAll(damaged)).not.toEqual(symbols);
        else decodeAll(damaged);
      } catch (error) {
        if (!isKolmoError(error)) throw error;
        expect(error.kind).toBe('input');
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(0);
  });
});
