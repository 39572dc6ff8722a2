import { describe, expect, it } from 'vitest';
import { squash, stretch } from './logistic.ts';

describe('squash and stretch tables', () => {
  it('squash follows 4096/(1 + e^(−x/256)) within the linear-interpolation bound', () => {
    // knots 128 apart: error ≤ 128²/8 · max|f''| = 2048 · 4096/256² · 0.0962 ≈ 12.3, plus two roundings
    for (let x = -2047; x <= 2047; x++) {
      expect(Math.abs(squash(x) - 4096 / (1 + Math.exp(-x / 256)))).toBeLessThanOrEqual(13.3);
    }
    expect(squash(0)).toBe(2048);
    expect(squash(5000)).toBe(squash(2047));
    expect(squash(-5000)).toBe(squash(-2047));
  });

  it('squash is monotone and symmetric: squash(x) + squash(−x) = 4096 ± 1', () => {
    for (let x = -2046; x <= 2047; x++) expect(squash(x)).toBeGreaterThanOrEqual(squash(x - 1));
    for (let x = 0; x <= 2047; x++) expect(Math.abs(squash(x) + squash(-x) - 4096)).toBeLessThanOrEqual(1);
  });

  it('stretch is the inverse of squash: the smallest x whose squash reaches p', () => {
    for (let p = 1; p < 4096; p++) {
      const x = stretch(p);
      if (x < 2047) expect(squash(x)).toBeGreaterThanOrEqual(p);
      if (x > -2047) expect(squash(x - 1)).toBeLessThan(p);
    }
  });
});
