import { linearizedStandardErrors } from './linearized-standard-errors.ts';
import type { ResidualScale } from './saturating-power-law.ts';

/**
 * Linearised SEs of a fitted law's free parameters on the scale its fit minimised: `model(parameters, i)` is
 * ŷ at point i, and the residual is y − ŷ, (y − ŷ)/y or log y − log ŷ. Returns a record of the free names.
 */
export function fitStandardErrors(
  parameters: Readonly<Record<string, number>>,
  free: readonly string[],
  y: ArrayLike<number>,
  scale: ResidualScale,
  model: (parameters: Readonly<Record<string, number>>, i: number) => number,
): Record<string, number> {
  const theta = free.map((name) => parameters[name]);
  const errors = linearizedStandardErrors(theta, (values) => {
    const trial = { ...parameters };
    free.forEach((name, k) => (trial[name] = values[k]));
    const out = new Float64Array(y.length);
    for (let i = 0; i < y.length; i++) {
      const fitted = model(trial, i);
      out[i] = scale === 'absolute' ? y[i] - fitted : scale === 'relative' ? (y[i] - fitted) / y[i] : Math.log(y[i]) - Math.log(fitted);
    }
    return out;
  });
  return Object.fromEntries(free.map((name, k) => [name, errors[k]]));
}
