import { describe, expect, it } from 'vitest';
import { minimizeBrent } from './brent-minimize.ts';

describe('minimizeBrent', () => {
  it('finds interior minima to ~1e-9', () => {
    expect(minimizeBrent((x) => (x - 0.123456789) ** 2, 0, 1).x).toBeCloseTo(0.123456789, 9);
    expect(minimizeBrent((x) => x - Math.log(x), 0.01, 10).x).toBeCloseTo(1, 8);
    expect(minimizeBrent((x) => Math.cos(x), 2, 4).x).toBeCloseTo(Math.PI, 8);
  });

  it('reports a boundary minimum at the boundary', () => {
    expect(minimizeBrent((x) => x, 1, 2).x).toBe(1);
    expect(minimizeBrent((x) => -x, 1, 2).x).toBe(2);
  });
});
