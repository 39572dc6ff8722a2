import { Rng } from '@kolmo/core';
import { describe, expect, it } from 'vitest';
import { Apm } from './apm.ts';

describe('APM', () => {
  it('starts as the identity (within the squash interpolation error)', () => {
    const apm = new Apm(4);
    for (let p = 1; p < 4096; p += 7) expect(Math.abs(apm.refine(p, 2) - p)).toBeLessThanOrEqual(14);
  });

  it('learns that a context means something else than the input says, and only there', () => {
    const rng = new Rng(5, 'apm');
    const apm = new Apm(2);
    for (let i = 0; i < 5000; i++) {
      apm.refine(2048, 1);
      apm.update(rng.nextFloat() < 0.9 ? 1 : 0);
    }
    // rate 2^−6: sd ≈ sqrt(0.09/(2·64)) ≈ 0.027; 5 sd = 0.13
    expect(Math.abs(apm.refine(2048, 1) / 4096 - 0.9)).toBeLessThan(0.13);
    expect(apm.refine(2048, 0)).toBe(2048);
  });
});
