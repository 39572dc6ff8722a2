import { describe, expect, it } from 'vitest';
import { Rng } from './rng.ts';
import { deriveSeed } from './seed.ts';
import { sampleBeta, sampleGamma } from './distributions.ts';

describe('Rng', () => {
  it('is reproducible and splits into streams that depend only on names', () => {
    const a = new Rng(42).split('generator');
    const b = new Rng(42);
    b.split('other').nextUint32(); // drawing elsewhere does not disturb the named stream
    const c = b.split('generator');
    const draws = (r: Rng) => Array.from({ length: 5 }, () => r.nextUint32());
    expect(draws(a)).toEqual(draws(c));
    expect(draws(new Rng(42).split('x'))).not.toEqual(draws(new Rng(42).split('y')));
    expect(draws(new Rng(1))).not.toEqual(draws(new Rng(2)));
  });

  it('derives run seeds from the sweep point regardless of key order', () => {
    expect(deriveSeed(1, { a: 1, b: 2 })).toBe(deriveSeed(1, { b: 2, a: 1 }));
    expect(deriveSeed(1, { a: 1 })).not.toBe(deriveSeed(1, { a: 2 }));
    expect(deriveSeed(1, {})).not.toBe(deriveSeed(2, {}));
  });

  it('draws uniform floats and integers with the right moments (5-sigma bounds)', () => {
    const rng = new Rng(7);
    const n = 200_000;
    let sum = 0;
    const counts = new Float64Array(6);
    for (let i = 0; i < n; i++) {
      sum += rng.nextFloat();
      counts[rng.nextInt(6)]++;
    }
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
    const p = 1 / 6;
    for (const c of counts) expect(Math.abs(c / n - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / n));
  });

  it('samples Gamma and Beta with the right means (5-sigma bounds)', () => {
    const rng = new Rng(9);
    const n = 100_000;
    for (const shape of [0.3, 1, 4.5]) {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += sampleGamma(rng, shape);
      expect(Math.abs(sum / n - shape)).toBeLessThan(5 * Math.sqrt(shape / n));
    }
    const [a, b] = [0.5, 2];
    let sum = 0;
    for (let i = 0; i < n; i++) sum += sampleBeta(rng, a, b);
    const variance = (a * b) / ((a + b) ** 2 * (a + b + 1));
    expect(Math.abs(sum / n - a / (a + b))).toBeLessThan(5 * Math.sqrt(variance / n));
  });
});
