import { Rng } from '@kolmo/core';
import { describe, expect, it } from 'vitest';
import { StateMap } from './state-map.ts';

describe('StateMap', () => {
  it('is a running average from 1/2: p = (n1 + 1/4)/(n + 1/2) while under its limit', () => {
    const map = new StateMap(1);
    const bits = [1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 1, 0, 1];
    let ones = 0;
    bits.forEach((bit, i) => {
      map.update(0, bit);
      ones += bit;
      // 22-bit state, 12-bit output: truncation and the 13-bit rate cost at most a couple of units
      expect(Math.abs(map.p(0) - (4096 * (ones + 0.25)) / (i + 1 + 0.5))).toBeLessThanOrEqual(2);
    });
  });

  it('tracks a Bernoulli rate once it becomes a moving average', () => {
    const rng = new Rng(3, 'state-map');
    const map = new StateMap(2, 255);
    for (let i = 0; i < 20000; i++) map.update(1, rng.nextFloat() < 0.8 ? 1 : 0);
    // moving average with rate 1/256.5: sd ≈ sqrt(0.16/(2·256)) ≈ 0.018; 5 sd = 0.09
    expect(Math.abs(map.p(1) / 4096 - 0.8)).toBeLessThan(0.09);
    expect(map.p(0)).toBe(2048);
  });

  it('starts bit-history states at their count estimates', () => {
    const map = StateMap.forBitHistories(2);
    expect(map.p(0)).toBe(2048);
    expect(map.p(256)).toBe(2048);
  });
});
