import { squash, stretch } from './logistic.ts';

/** The 33 knots of a fresh context: the identity curve, squash at −2048, −1920, …, 2048, in 16 bits. */
export function apmIdentityKnots(): Uint16Array {
  return Uint16Array.from({ length: 33 }, (_, j) => Math.min(65535, squash((j - 16) * 128) * 16));
}

/**
 * An adaptive probability map (secondary symbol estimation): refines a probability given a small context by
 * a learned piecewise-linear curve over the stretched input, 33 knots per context interpolated, starting as
 * the identity. After the bit, the knot nearer the input moves toward it at rate 2^−rate. 16-bit knots,
 * integer arithmetic.
 */
export class Apm {
  private readonly knots: Uint16Array;
  private readonly rate: number;
  private index = 0;

  constructor(contexts: number, rate = 6) {
    this.knots = new Uint16Array(contexts * 33);
    this.rate = rate;
    const identity = apmIdentityKnots();
    for (let c = 0; c < contexts; c++) this.knots.set(identity, c * 33);
  }

  /** The refined 12-bit probability of `p` (12-bit) in `context`. */
  refine(p: number, context: number): number {
    const s = stretch(p) + 2048;
    const low = s >> 7;
    const weight = s & 127;
    const base = context * 33 + low;
    this.index = base + (weight >> 6);
    return (this.knots[base] * (128 - weight) + this.knots[base + 1] * weight) >> 11;
  }

  update(bit: number): void {
    const knot = this.knots[this.index];
    this.knots[this.index] = knot + ((bit * 65535 - knot + (1 << (this.rate - 1))) >> this.rate);
  }
}
