import { Rng } from '@kolmo/core';
import { describe, expect, it } from 'vitest';
import { HeldOutSplit, type HeldOutOptions } from './held-out-split.ts';

function decisions(options: Omit<HeldOutOptions, 'rng'> & { seed?: number }, documents: number): boolean[] {
  const split = new HeldOutSplit({ ...options, rng: new Rng(options.seed ?? 1, 'held-out') });
  return Array.from({ length: documents }, () => split.next());
}

const count = (held: boolean[]) => held.filter(Boolean).length;

describe('HeldOutSplit', () => {
  it('holds out nothing at 0', () => {
    expect(count(decisions({ heldOut: 0, choice: 'random' }, 1000))).toBe(0);
  });

  it('draws a fraction at random, reproducibly, within 5 standard errors', () => {
    const n = 20_000;
    const f = 0.1;
    const held = decisions({ heldOut: f, choice: 'random', seed: 5 }, n);
    expect(held).toEqual(decisions({ heldOut: f, choice: 'random', seed: 5 }, n));
    expect(held).not.toEqual(decisions({ heldOut: f, choice: 'random', seed: 6 }, n));
    expect(Math.abs(count(held) - n * f)).toBeLessThan(5 * Math.sqrt(n * f * (1 - f)));
  });

  it('spreads a fraction evenly by index: exactly ⌊N·f⌋ of the first N', () => {
    const held = decisions({ heldOut: 0.25, choice: 'index' }, 20);
    expect(held.map((h, d) => (h ? d : -1)).filter((d) => d >= 0)).toEqual([3, 7, 11, 15, 19]);
    for (const n of [1, 7, 100, 1001]) expect(count(decisions({ heldOut: 0.3, choice: 'index' }, n))).toBe(Math.floor(n * 0.3));
  });

  it('holds out the first k documents by index', () => {
    const held = decisions({ heldOut: 3, choice: 'index' }, 10);
    expect(held).toEqual([true, true, true, false, false, false, false, false, false, false]);
  });

  it('draws exactly k of N at random, each document equally likely', () => {
    const n = 10;
    const k = 3;
    const hits = new Array(n).fill(0);
    const trials = 4000;
    for (let seed = 0; seed < trials; seed++) {
      const held = decisions({ heldOut: k, choice: 'random', expectedDocuments: n, seed }, n);
      expect(count(held)).toBe(k);
      held.forEach((h, d) => (hits[d] += h ? 1 : 0));
    }
    const p = k / n;
    const sigma = Math.sqrt(trials * p * (1 - p));
    for (const h of hits) expect(Math.abs(h - trials * p)).toBeLessThan(5 * sigma);
  });

  it('needs the document count to draw a count at random', () => {
    expect(() => decisions({ heldOut: 3, choice: 'random' }, 10)).toThrow(/knows its document count/);
    expect(() => decisions({ heldOut: 30, choice: 'random', expectedDocuments: 10 }, 10)).toThrow(/only 10/);
  });
});
