import { formatNumber } from './axis-format.ts';
import type { TheoryLine } from './report-spec.ts';

/** The exponent of a theory line and where it comes from (theory §4: data law 1 − α, capacity law (1 − α)/α). */
export function theoryExponent(theory: TheoryLine): { exponent: number; origin: string } {
  if (theory.exponent !== undefined) return { exponent: theory.exponent, origin: 'given' };
  const alpha = theory.alpha!;
  return theory.law === 'capacity'
    ? { exponent: (1 - alpha) / alpha, origin: `(1 − α)/α, α = ${formatNumber(alpha)}` }
    : { exponent: 1 - alpha, origin: `1 − α, α = ${formatNumber(alpha)}` };
}

export function theoryLabel(theory: TheoryLine): string {
  if (theory.label) return theory.label;
  const { exponent, origin } = theoryExponent(theory);
  return `theory: ∝ x^−${formatNumber(exponent, 3)}${origin === 'given' ? '' : ` (${origin})`}`;
}

/**
 * y = E + A x^(−a) at `xs`: A as given, else chosen so that the line passes through `anchor`.
 * Returns undefined when the anchor lies at or below E (no positive A passes through it).
 */
export function theoryCurve(theory: TheoryLine, xs: readonly number[], E: number, anchor?: { x: number; y: number }): { x: number; y: number }[] | undefined {
  const { exponent } = theoryExponent(theory);
  const A = theory.A ?? (anchor ? (anchor.y - E) * anchor.x ** exponent : undefined);
  if (A === undefined || !(A > 0)) return undefined;
  return xs.map((x) => ({ x, y: E + A * x ** -exponent }));
}
