import { describe, expect, it } from 'vitest';
import { hurwitzZeta } from './hurwitz-zeta.ts';

const relative = (a: number, b: number) => Math.abs(a / b - 1);

describe('hurwitzZeta', () => {
  it('matches known values of the Riemann zeta function to a few ulp', () => {
    expect(relative(hurwitzZeta(2, 1), Math.PI ** 2 / 6)).toBeLessThan(1e-15);
    expect(relative(hurwitzZeta(3, 1), 1.2020569031595942)).toBeLessThan(1e-15);
    expect(relative(hurwitzZeta(4, 1), Math.PI ** 4 / 90)).toBeLessThan(1e-15);
    expect(relative(hurwitzZeta(1.5, 1), 2.612375348685488)).toBeLessThan(1e-15);
    expect(relative(hurwitzZeta(1.01, 1), 100.57794333849687)).toBeLessThan(1e-14);
    expect(relative(hurwitzZeta(20, 1), 1.0000009539620338)).toBeLessThan(1e-15); // a few ulp
  });

  it('matches shifted and half-integer identities', () => {
    expect(relative(hurwitzZeta(2, 2), Math.PI ** 2 / 6 - 1)).toBeLessThan(1e-15);
    expect(relative(hurwitzZeta(2, 0.5), Math.PI ** 2 / 2)).toBeLessThan(1e-15); // (2^s − 1) ζ(s)
    expect(relative(hurwitzZeta(3, 0.5), 7 * 1.2020569031595942)).toBeLessThan(1e-15);
    // ζ(2, 1/4) = π² + 8G (Catalan's constant G).
    expect(relative(hurwitzZeta(2, 0.25), Math.PI ** 2 + 8 * 0.915965594177219)).toBeLessThan(1e-15);
  });

  it('satisfies ζ(s, q) − ζ(s, q + 1) = q^−s across small and large q', () => {
    for (const s of [1.05, 1.7, 2.5, 3.5, 7]) {
      for (const q of [0.3, 1, 5, 11.5, 12.5, 100, 1e4, 1e7]) {
        const difference = hurwitzZeta(s, q) - hurwitzZeta(s, q + 1);
        expect(relative(difference, q ** -s)).toBeLessThan(q < 20 ? 1e-12 : 1e-6);
      }
    }
  });

  it('approaches q^(1−s)/(s − 1) + q^(−s)/2 for large q', () => {
    const q = 1e6;
    expect(relative(hurwitzZeta(2.5, q), q ** -1.5 / 1.5 + 0.5 * q ** -2.5 + (2.5 / 12) * q ** -3.5)).toBeLessThan(1e-15);
  });

  it('rejects s ≤ 1 and q ≤ 0', () => {
    expect(() => hurwitzZeta(1, 1)).toThrow(RangeError);
    expect(() => hurwitzZeta(2, 0)).toThrow(RangeError);
  });
});
