import { Rng } from '@kolmo/core';
import { describe, expect, it } from 'vitest';
import { MatchModel } from './match-model.ts';

/** Feeds bytes to the match model bit by bit; returns per bit the sign agreement of its prediction (−1, 0, 1). */
function feed(model: MatchModel, bytes: Uint8Array): number[] {
  const agreement: number[] = [];
  for (const byte of bytes) {
    for (let i = 0; i < 8; i++) {
      const bit = (byte >> (7 - i)) & 1;
      const partial = (byte | 256) >> (8 - i);
      const x = model.predict(partial, i);
      agreement.push(Math.sign(x) * (bit ? 1 : -1));
      model.update(bit);
    }
    model.updateByte(byte);
  }
  return agreement;
}

describe('match model', () => {
  it('is silent on fresh data and predicts a repeat once its context recurs', () => {
    const rng = new Rng(2, 'match');
    const block = Uint8Array.from({ length: 400 }, () => Math.floor(rng.nextFloat() * 256));
    const model = new MatchModel(16, 12, 6);
    const first = feed(model, block);
    expect(first.filter((a) => a !== 0).length).toBeLessThan(first.length / 100);
    const second = feed(model, block);
    expect(model.length).toBeGreaterThan(300);
    // after the first minimum-length bytes the match is found: from then on it is never wrong, and it speaks up
    const later = second.slice(8 * 6);
    expect(later.filter((a) => a === -1)).toEqual([]);
    expect(later.filter((a) => a === 1).length).toBeGreaterThan(0.99 * later.length);
  });
});
