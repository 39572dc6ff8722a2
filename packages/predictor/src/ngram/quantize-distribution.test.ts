import { Rng, sampleDirichlet } from '@kolmo/core';
import { describe, expect, it } from 'vitest';
import { quantizeDistribution } from './quantize-distribution.ts';

describe('quantizeDistribution', () => {
  it('sums to 2^P exactly, keeps every frequency ≥ 1 and costs less than −log2(1 − V/2^P) bits over ideal', () => {
    const rng = new Rng(5);
    for (const [size, totalBits, concentration] of [
      [1, 1, 1],
      [2, 24, 0.01],
      [7, 4, 1],
      [256, 24, 0.05],
      [1000, 11, 0.1],
      [10_000, 24, 0.02],
      [10_000, 15, 0.5],
    ]) {
      const p = sampleDirichlet(rng, new Float64Array(size).fill(concentration));
      if (size > 2) p[1] = 0; // an exact zero still gets frequency 1
      const f = new Float64Array(size);
      quantizeDistribution(p, totalBits, f);
      let sum = 0;
      const overhead = -Math.log2(1 - size / 2 ** totalBits);
      const violations: string[] = [];
      for (let w = 0; w < size; w++) {
        if (!(Number.isInteger(f[w]) && f[w] >= 1)) violations.push(`V=${size}: f[${w}] = ${f[w]}`);
        sum += f[w];
        if (p[w] > 0 && !(totalBits - Math.log2(f[w]) < -Math.log2(p[w]) + overhead)) violations.push(`V=${size}: symbol ${w} over the bound`);
      }
      expect(violations).toEqual([]);
      expect(sum).toBe(2 ** totalBits);
      const again = new Float64Array(size);
      quantizeDistribution(p, totalBits, again);
      expect(again).toEqual(f);
    }
  });

  it('gives the remainder to the most probable symbol, the lowest index among equals', () => {
    const f = new Float64Array(4);
    expect(quantizeDistribution([0.25, 0.25, 0.25, 0.25], 4, f)).toBe(0);
    // M = 12: ⌊0.25·12⌋ = 3, so 4 each; nothing is left.
    expect([...f]).toEqual([4, 4, 4, 4]);
    expect(quantizeDistribution([0.1, 0.6, 0.3], 8, f.subarray(0, 3))).toBe(1);
    // M = 253: 1 + 25, 1 + 151, 1 + 75 = 254, remainder 2 to symbol 1.
    expect([...f.subarray(0, 3)]).toEqual([26, 154, 76]);
  });

  it('refuses a precision too small for the alphabet and probabilities that are not probabilities', () => {
    expect(() => quantizeDistribution(new Float64Array(9).fill(1 / 9), 4, new Float64Array(9))).toThrow(/2\^totalBits/);
    expect(() => quantizeDistribution([0.5, Number.NaN], 8, new Float64Array(2))).toThrow(/not in \[0, 1\]/);
    expect(() => quantizeDistribution([1.5, -0.5], 8, new Float64Array(2))).toThrow(/not in \[0, 1\]/);
    expect(() => quantizeDistribution([0.9, 0.9], 8, new Float64Array(2))).toThrow(/sum to more than 1/);
  });
});
