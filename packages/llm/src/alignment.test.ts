import { Buffer } from 'node:buffer';
import { Rng } from '@kolmo/core';
import { describe, expect, it } from 'vitest';
import { alignBits, utf8Offsets } from './alignment.ts';

const spans = (pairs: [number, number][]) => ({ start: pairs.map((p) => p[0]), end: pairs.map((p) => p[1]) });

describe('alignBits', () => {
  it('splits a backend token over our tokens in proportion to characters, gaps to the next token, the tail to the last', () => {
    // Text "ab cd!" (6 units). Ours: "ab" [0,2), "cd" [3,5); the space (gap) goes to "cd", "!" (tail) to "cd" too.
    // Theirs: "ab " [0,3) 3 bits, "cd!" [3,6) 6 bits.
    const bits = alignBits(spans([[0, 2], [3, 5]]), 2, 6, spans([[0, 3], [3, 6]]), Float64Array.of(3, 6), 'doc');
    // "ab " → 2 units to "ab" (2 bits), the space to "cd" (1 bit); "cd!" → all 6 to "cd".
    expect(Array.from(bits)).toEqual([2, 7]);
  });

  it('pays a backend token with an empty span to the owner of its start, and at the end to the last token', () => {
    const bits = alignBits(spans([[0, 1], [1, 2]]), 2, 2, spans([[0, 0], [0, 2], [2, 2]]), Float64Array.of(1, 4, 0.5), 'doc');
    expect(Array.from(bits)).toEqual([1 + 2, 2 + 0.5]);
  });

  it('conserves bits per document within 1e-9 relative on random tilings (fixed seed)', () => {
    const rng = new Rng(11, 'align');
    for (let trial = 0; trial < 200; trial++) {
      const length = 1 + rng.nextInt(300);
      const cut = (pieces: number) => {
        const points = new Set<number>([0, length]);
        for (let i = 0; i < pieces; i++) points.add(rng.nextInt(length + 1));
        const sorted = [...points].sort((a, b) => a - b);
        return sorted.slice(1).map((end, i) => [sorted[i], end] as [number, number]);
      };
      // Ours skip some units (gaps), as a word tokenizer skips nothing but a byte-level one might.
      const ours = cut(1 + rng.nextInt(40)).filter(() => rng.nextFloat() < 0.8);
      if (ours.length === 0) continue;
      const theirs = cut(1 + rng.nextInt(60));
      const theirBits = Float64Array.from(theirs, () => rng.nextFloat() * 30);
      const bits = alignBits(spans(ours), ours.length, length, spans(theirs), theirBits, 'doc');
      const total = theirBits.reduce((a, b) => a + b, 0);
      expect(Math.abs(bits.reduce((a, b) => a + b, 0) - total)).toBeLessThanOrEqual(1e-9 * total);
      for (const b of bits) expect(b).toBeGreaterThanOrEqual(0);
    }
  });

  it('refuses a non-empty text with no token of ours to pay its bits', () => {
    expect(() => alignBits(spans([]), 0, 3, spans([[0, 3]]), Float64Array.of(5), 'document 7')).toThrow(/document 7: the tokenizer gave no token/);
  });
});

describe('utf8Offsets', () => {
  it('maps UTF-16 indices to UTF-8 byte offsets (surrogate pairs as one 4-byte code point)', () => {
    const text = 'aé中😀b';
    const bytes = utf8Offsets(text);
    for (let i = 0; i <= text.length; i++) {
      if (i === 4) continue; // inside the surrogate pair: same byte as its high half
      expect(bytes[i]).toBe(Buffer.byteLength(text.slice(0, i)));
    }
    expect(bytes[4]).toBe(bytes[3]);
    expect(bytes[text.length]).toBe(Buffer.byteLength(text));
  });
});
