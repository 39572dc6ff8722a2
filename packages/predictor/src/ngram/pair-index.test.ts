import { Rng } from '@kolmo/core';
import { describe, expect, it } from 'vitest';
import { PairIndex } from './pair-index.ts';

describe('PairIndex', () => {
  it('gives dense ids in insertion order and finds them again through many growths', () => {
    const rng = new Rng(11);
    const index = new PairIndex(16);
    const reference = new Map<string, number>();
    const pairs: [number, number][] = [];
    const mismatches: string[] = [];
    for (let i = 0; i < 60_000; i++) {
      // Small ranges force repeats; a few extreme values test the hash on the whole 32-bit range.
      const a = i % 97 === 0 ? -1 - rng.nextInt(5) : rng.nextInt(i % 3 === 0 ? 0x7fffffff : 300);
      const b = i % 89 === 0 ? 0x7ffffffe : rng.nextInt(1000);
      const key = `${a},${b}`;
      const expected = reference.get(key) ?? reference.size;
      if (!reference.has(key)) {
        if (index.find(a, b) !== -1) mismatches.push(`found ${key} before inserting it`);
        reference.set(key, expected);
        pairs.push([a, b]);
      }
      const id = index.findOrInsert(a, b);
      if (id !== expected) mismatches.push(`${key}: ${id} instead of ${expected}`);
    }
    expect(mismatches).toEqual([]);
    expect(index.size).toBe(reference.size);
    expect(pairs.map(([a, b]) => index.find(a, b))).toEqual(pairs.map((_, id) => id));
    expect(index.find(123456, 654321)).toBe(-1);
  });
});
