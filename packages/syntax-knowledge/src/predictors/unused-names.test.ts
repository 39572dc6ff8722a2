import { Rng } from '@kolmo/core';
import { describe, expect, it } from 'vitest';
import { UnusedNames } from './unused-names.ts';

describe('UnusedNames', () => {
  it('ranks and unranks the untaken names in index order, as a brute-force list does', () => {
    const size = 300;
    const names = new UnusedNames(size);
    const untaken = Array.from({ length: size }, (_, i) => i);
    const rng = new Rng(5);
    for (let step = 0; step < 250; step++) {
      expect(names.available).toBe(untaken.length);
      expect(untaken.map((name) => names.rankOf(name))).toEqual(untaken.map((_, rank) => rank));
      expect(untaken.map((_, rank) => names.nameAt(rank))).toEqual(untaken);
      const [taken] = untaken.splice(rng.nextInt(untaken.length), 1);
      names.take(taken);
      expect(() => names.rankOf(taken)).toThrow(RangeError);
      expect(() => names.take(taken)).toThrow(RangeError);
    }
  });

  it('handles F·L ≈ 3.5·10⁷ names without materialising them', () => {
    const names = new UnusedNames(6531 * 5414);
    for (const name of [35_358_833, 0, 17_000_000, 1]) names.take(name);
    expect(names.available).toBe(6531 * 5414 - 4);
    expect(names.nameAt(0)).toBe(2);
    expect(names.rankOf(17_000_001)).toBe(17_000_001 - 3);
    expect(names.nameAt(names.available - 1)).toBe(35_358_832);
  });
});
