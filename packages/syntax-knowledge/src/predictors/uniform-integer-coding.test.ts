import { RangeDecoder, RangeEncoder } from '@kolmo/entropy-coding';
import { Rng } from '@kolmo/core';
import { describe, expect, it } from 'vitest';
import { decodeUniformInteger, encodeUniformInteger, maxUniformCount } from './uniform-integer-coding.ts';

describe('uniform integer coding', () => {
  // One digit (small and just below/above powers of two), two digits (names: F·L = 6531 × 5414), the limit.
  const counts = [1, 2, 3, 64, 1000, 33600, 65535, 65536, 65537, 6531 * 5414, 2 ** 31 + 12345, maxUniformCount];

  it.each(counts)('round-trips values uniform over %i, each costing under −log2(1 − 2^-12) bits over log2(count)', (count) => {
    const rng = new Rng(count % 1000003);
    const values = Array.from({ length: 400 }, (_, i) => (i === 0 ? 0 : i === 1 ? count - 1 : Math.floor(rng.nextFloat() * count)));
    const encoder = new RangeEncoder();
    const perValue = values.map((value) => encodeUniformInteger(value, count, encoder));
    const bytes = encoder.finish();
    const decoder = new RangeDecoder(bytes);
    expect(values.map(() => decodeUniformInteger(count, decoder))).toEqual(values);
    decoder.finish();
    // Quantization costs at most −log2(1 − V/2^P) over ideal (theory §8): V ≤ 2^16 against P = 28 (one digit),
    // H ≤ 2^12 digits against 2^24 or H ≤ 2^16 against 2^32 (two). A rare symbol may come out cheaper than ideal.
    for (const bits of perValue) expect(bits - Math.log2(count)).toBeLessThan(-Math.log2(1 - 2 ** -12));
    const ideal = values.length * Math.log2(count);
    expect(bytes.length * 8).toBeLessThanOrEqual(ideal * 1.001 + 16);
  });

  it('refuses values outside [0, count) and counts outside [1, 2^32]', () => {
    const encoder = new RangeEncoder();
    expect(() => encodeUniformInteger(5, 5, encoder)).toThrow(RangeError);
    expect(() => encodeUniformInteger(-1, 5, encoder)).toThrow(RangeError);
    expect(() => encodeUniformInteger(0, 0, encoder)).toThrow(RangeError);
    expect(() => encodeUniformInteger(0, maxUniformCount + 1, encoder)).toThrow(RangeError);
  });
});
