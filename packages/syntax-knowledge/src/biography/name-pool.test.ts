import { Rng } from '@kolmo/core';
import { describe, expect, it } from 'vitest';
import { NamePool } from './name-pool.ts';

describe('unique name pool (G0 names without replacement)', () => {
  it('never repeats a name and uses every name once when exhausted', () => {
    const pool = new NamePool(1000);
    const rng = new Rng(1);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) seen.add(pool.draw(rng));
    expect(seen.size).toBe(1000);
    expect(Math.min(...seen)).toBe(0);
    expect(Math.max(...seen)).toBe(999);
    expect(() => pool.draw(rng)).toThrow(/unique names/);
  });

  it('draws each ordered sequence of unused names with probability Π 1/(F·L − k)', () => {
    // 5 names, 3 draws: 60 ordered sequences, each with probability 1/(5·4·3).
    const rng = new Rng(2);
    const runs = 60000;
    const counts = new Map<string, number>();
    for (let r = 0; r < runs; r++) {
      const pool = new NamePool(5);
      const key = `${pool.draw(rng)}${pool.draw(rng)}${pool.draw(rng)}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(60);
    const expected = runs / 60;
    let chi2 = 0;
    for (const c of counts.values()) chi2 += (c - expected) ** 2 / expected;
    expect(chi2).toBeLessThan(112); // 59 d.o.f., P ≈ 1e-5
  });
});
