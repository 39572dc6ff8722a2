import { Rng, type FitResult } from '@kolmo/core';
import { describe, expect, it } from 'vitest';
import { fittedCurve, lawAlong, pickFit } from './fit-curve.ts';
import { theoryCurve, theoryExponent } from './theory-curve.ts';
import { powerLawFit } from './testing/synthetic-run-output.ts';

describe('fitted curves', () => {
  it('evaluate E + A x^−alpha and bound it by the corners of the parameter intervals', () => {
    const picked = pickFit([powerLawFit({ label: 'k', E: 2, A: 30, alpha: 0.5, intervals: { E: [1.9, 2.1], A: [27, 33], alpha: [0.48, 0.52] } })], 'k', 'p');
    const law = lawAlong(picked, 'documents', 'p');
    const curve = fittedCurve(picked, law, [1, 100, 1e4], undefined, false);
    expect(curve.band).toBe('intervals');
    for (const { x, y, low, high } of curve.points) {
      expect(y).toBeCloseTo(2 + 30 * x ** -0.5, 12);
      // y grows with E and A and falls with alpha (x ≥ 1): the envelope is at opposite corners
      expect(low).toBeCloseTo(1.9 + 27 * x ** -0.52, 12);
      expect(high).toBeCloseTo(2.1 + 33 * x ** -0.48, 12);
    }
    const excess = fittedCurve(picked, law, [100], undefined, true);
    expect(excess.points[0].y).toBeCloseTo(30 / 10, 12);
    expect(excess.points[0].low).toBeCloseTo(27 * 100 ** -0.52, 12);
  });

  it('take the pointwise 2.5% and 97.5% of the bootstrap resamples when fits.json stores them', () => {
    const rng = new Rng(5);
    const n = 201; // (n − 1)·0.025 = 5: the band's ends are the 6th smallest and 6th largest curve values
    const samples = { E: [] as number[], A: [] as number[], alpha: [] as number[] };
    for (let i = 0; i < n; i++) {
      const shift = rng.nextFloat() - 0.5; // A and alpha move together, as in real bootstraps
      samples.E.push(2 + 0.1 * (rng.nextFloat() - 0.5));
      samples.A.push(30 * (1 + 0.2 * shift));
      samples.alpha.push(0.5 + 0.04 * shift);
    }
    const picked = pickFit([powerLawFit({ label: 's', E: 2, A: 30, alpha: 0.5, intervals: { A: [27, 33], alpha: [0.48, 0.52] }, samples })], 0, 'p');
    const law = lawAlong(picked, 'documents', 'p');
    const curve = fittedCurve(picked, law, [10, 1000, 1e5], undefined, false);
    expect(curve.band).toBe('bootstrap');
    for (const { x, low, high } of curve.points) {
      const values = samples.A.map((A, i) => samples.E[i] + A * x ** -samples.alpha[i]);
      expect(values.filter((v) => v < low!).length).toBe(5);
      expect(values.filter((v) => v > high!).length).toBe(5);
    }
  });

  it('draw a joint law along either variable, holding the other', () => {
    const fit: FitResult = { kind: 'joint-law', parameters: { E: 1, A: 10, B: 20, alpha: 0.3, beta: 0.6 }, warnings: [], x: 'documents', z: 'capacity', y: 'bits' };
    const picked = pickFit([fit], 0, 'p');
    const alongN = lawAlong(picked, 'documents', 'p');
    const alongC = lawAlong(picked, 'capacity', 'p');
    expect(alongN.exponent).toBe('alpha');
    expect(alongN.other).toBe('capacity');
    expect(alongN.value(fit.parameters, 100, 1000)).toBeCloseTo(1 + 10 * 100 ** -0.3 + 20 * 1000 ** -0.6, 12);
    expect(alongC.exponent).toBe('beta');
    expect(alongC.value(fit.parameters, 1000, 100)).toBeCloseTo(1 + 10 * 100 ** -0.3 + 20 * 1000 ** -0.6, 12);
    expect(() => lawAlong(picked, 'tokens', 'report.plots[0].fit')).toThrow(/report\.plots\[0\]\.fit: .*this plot's x is tokens/);
  });

  it('name the fits there are when a reference misses', () => {
    expect(() => pickFit([powerLawFit({ label: 'k', E: 0, A: 1, alpha: 1 })], 'nope', 'report.plots[2].fit')).toThrow(
      'report.plots[2].fit: no fit "nope" in fits.json; the fits are 0: "k" power-law',
    );
    expect(() => pickFit([], 0, 'report.plots[0].fit')).toThrow(/none \(the run has no fits.json\)/);
  });
});

describe('theory lines', () => {
  it('take the data exponent 1 − α and the capacity exponent (1 − α)/α', () => {
    expect(theoryExponent({ alpha: 0.5, law: 'data' }).exponent).toBe(0.5);
    expect(theoryExponent({ alpha: 0.3, law: 'capacity' }).exponent).toBeCloseTo(0.7 / 0.3, 15);
    expect(theoryExponent({ exponent: 1, law: 'data' }).exponent).toBe(1);
  });

  it('pass through their anchor, or use the given A', () => {
    const anchored = theoryCurve({ alpha: 0.5, law: 'data' }, [100, 1e4], 2, { x: 100, y: 5 })!;
    expect(anchored[0].y).toBeCloseTo(5, 12);
    expect(anchored[1].y).toBeCloseTo(2 + 3 * (1e4 / 100) ** -0.5, 12);
    expect(theoryCurve({ exponent: 1, A: 7, law: 'data' }, [10], 0)![0].y).toBeCloseTo(0.7, 12);
    expect(theoryCurve({ exponent: 1, law: 'data' }, [10], 5, { x: 1, y: 4 })).toBeUndefined();
  });
});
