import { Rng } from '@kolmo/core';
import { describe, expect, it } from 'vitest';
import { squash, stretch } from './logistic.ts';
import { MixerNetwork } from './mixer-network.ts';

describe('mixer network', () => {
  it('learns to trust the informative input over noise, coding near the source entropy', () => {
    const rng = new Rng(11, 'mixer');
    const mixer = new MixerNetwork(3, [4, 1], 1, 4, 2);
    let mixedBits = 0;
    let idealBits = 0;
    const n = 40000;
    for (let t = 0; t < n; t++) {
      const p = 0.05 + 0.9 * rng.nextFloat();
      const p12 = Math.round(p * 4096);
      mixer.inputs[0] = 256;
      mixer.inputs[1] = stretch(p12);
      mixer.inputs[2] = Math.floor(rng.nextFloat() * 2001) - 1000;
      mixer.select(0, t & 3);
      mixer.select(1, 0);
      const q = mixer.mix(0);
      const bit = rng.nextFloat() < p ? 1 : 0;
      mixer.update(bit);
      if (t >= n / 2) {
        mixedBits -= Math.log2(bit ? q / 4096 : 1 - q / 4096);
        idealBits -= Math.log2(bit ? p : 1 - p);
      }
    }
    // the source entropy here is ≈ 0.69 bits a decision; an un-learned mixer (p = 1/2) would pay 1
    expect(mixedBits / idealBits).toBeLessThan(1.02);
    expect(mixedBits / idealBits).toBeGreaterThan(0.97);
  });

  it('outputs 1/2 before any input carries information', () => {
    const mixer = new MixerNetwork(2, [1], 1, 4, 2);
    mixer.inputs.fill(0);
    mixer.select(0, 0);
    expect(mixer.mix(0)).toBe(squash(0));
  });
});
