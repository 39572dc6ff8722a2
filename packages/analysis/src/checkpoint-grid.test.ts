import { describe, expect, it } from 'vitest';
import { CheckpointGrid } from './checkpoint-grid.ts';
import { frequencyBin, frequencyBinOf } from './frequency-bins.ts';

describe('CheckpointGrid', () => {
  it('steps on a log grid, rounded, strictly increasing, the last one capped at the run length', () => {
    expect(CheckpointGrid.list(100, 4, 2000)).toEqual([100, 178, 316, 562, 1000, 1778, 2000]);
    expect(CheckpointGrid.list(1, 4, 12)).toEqual([1, 2, 3, 6, 10, 12]);
  });

  it('gives the first checkpoint at or after a step, and Infinity past an explicit list', () => {
    const grid = CheckpointGrid.at([10, 50, 51]);
    expect([1, 10, 11, 50, 51, 52].map((step) => grid.next(step))).toEqual([10, 10, 50, 50, 51, Infinity]);
  });
});

describe('frequency bins', () => {
  it('follow the QA probes convention: bin b holds [10^−(b+1)/m, 10^−b/m)', () => {
    expect(frequencyBinOf(0.5, 1)).toBe(0);
    expect(frequencyBinOf(0.1, 1)).toBe(1);
    expect(frequencyBinOf(0.099, 1)).toBe(1);
    expect(frequencyBinOf(0.05, 2)).toBe(2);
    const bin = frequencyBin(3, 2);
    expect(bin.low).toBeCloseTo(10 ** -2, 15);
    expect(bin.high).toBeCloseTo(10 ** -1.5, 15);
    expect(frequencyBinOf(bin.centre, 2)).toBe(3);
  });
});
