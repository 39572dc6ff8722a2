import { Slot, type TokenBatch } from '@kolmo/core';
import { describe, expect, it } from 'vitest';
import { AdaptiveSymbolPredictor, dirichletCodeLength } from './adaptive-bytes-predictor.ts';

function tokens(ids: number[]): TokenBatch {
  const n = ids.length;
  return {
    length: n,
    ids: Int32Array.from(ids),
    doc: new Int32Array(n),
    slot: new Uint8Array(n).fill(Slot.text),
    start: new Int32Array(n),
    end: new Int32Array(n),
    offsetUnit: 'utf8',
    documents: { first: 0, text: [''], columns: {} },
  };
}

describe('AdaptiveSymbolPredictor', () => {
  it('codes a sequence in exactly the closed-form Dirichlet marginal, for any prior', () => {
    const ids = Array.from({ length: 5000 }, (_, i) => (i * i + 3 * i) % 17);
    for (const prior of [0.5, 1, 0.01]) {
      const predictor = new AdaptiveSymbolPredictor(20, prior);
      const half = ids.length / 2;
      const bits = [...predictor.score(tokens(ids.slice(0, half))), ...predictor.score(tokens(ids.slice(half)))];
      const counts = new Float64Array(20);
      for (const id of ids) counts[id]++;
      const total = bits.reduce((s, b) => s + b, 0);
      expect(Math.abs(total - dirichletCodeLength(counts, prior)) / total).toBeLessThan(1e-12);
    }
  });

  it('evaluates held-out tokens with frozen counts and learns nothing from them', () => {
    const predictor = new AdaptiveSymbolPredictor(4, 0.5);
    predictor.score(tokens([0, 0, 1, 2, 0]));
    // counts 3, 1, 1, 0 after n = 5; denominator 5 + 4·½ = 7
    const expected = [0, 3, 1].map((x) => Math.log2(7 / ([3, 1, 1, 0][x] + 0.5)));
    expect([...predictor.evaluate(tokens([0, 3, 1]))]).toEqual(expected);
    expect([...predictor.evaluate(tokens([0, 3, 1]))]).toEqual(expected);
    expect(predictor.score(tokens([3]))[0]).toBe(Math.log2(7 / 0.5));
  });
});
