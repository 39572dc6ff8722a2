import { logGamma } from '@kolmo/core';
import { analyzePowerLaw } from '@kolmo/fitter';

/** E[K_n] of a Pitman–Yor(α, β) sample (theory §2, closed form, α > 0). */
export function expectedElements(n: number, alpha: number, beta: number): number {
  return Math.exp(logGamma(beta + 1) + logGamma(beta + n + alpha) - logGamma(beta + alpha) - logGamma(beta + n)) / alpha - beta / alpha;
}

/** The expected new-element rate E[P(new)] = (β + α E[K_N])/(N + β) after N draws. */
export function expectedNewElementRate(n: number, alpha: number, beta: number): number {
  return (beta + alpha * expectedElements(n, alpha, beta)) / (n + beta);
}

/**
 * The theory curves of theory §4 "Measuring it well" at the given training sizes: the new-element rate, and the
 * knowledge excess ≈ P(new) · (b − α log2 N) (unseen elements have π ≈ 1/N and cost b − α log2 N + const bits).
 */
export function dataTheoryCurves(sizes: readonly number[], alpha: number, beta: number, elementBits: number): { newElementRate: number[]; knowledgeExcess: number[] } {
  const newElementRate = sizes.map((n) => expectedNewElementRate(n, alpha, beta));
  return { newElementRate, knowledgeExcess: sizes.map((n, i) => newElementRate[i] * (elementBits - alpha * Math.log2(n))) };
}

/** The exponent a of the same pure power law (E = 0, relative residuals) the example's fits use. */
export function pureExponent(x: readonly number[], y: readonly number[]): number {
  return analyzePowerLaw(x, y, { fixE: 0, residuals: 'relative' }).parameters.alpha;
}
