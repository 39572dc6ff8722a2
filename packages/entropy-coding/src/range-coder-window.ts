/**
 * The shared arithmetic of the range encoder and decoder (theory §8), in exact JS doubles.
 *
 * The coder keeps a 48-bit window (`low`, `range`) and shifts out one byte whenever `range` falls below 2^40,
 * so `range ∈ [2^40, 2^48)` before every symbol. For a total of 2^P the scale `r = ⌊range / 2^P⌋ ≥ 2^(40−P)`,
 * and every quantity stays an integer below 2^53: `r·cumulative < range < 2^48`, `low + range < 2^49`
 * (the bit above the window is the carry). Dividing by a power of two and `Math.floor` are exact, so the
 * doubles behave as integers on every platform. Truncating the range to `r·2^P` costs under
 * `−log2(1 − 2^(P−40))` bits a symbol: 2.2·10⁻⁵ bits at P = 24, 0.0056 at the maximum P = 32.
 */
export const windowBits = 48;
export const windowBytes = windowBits / 8;
/** 2^48: `low` at or above it carries into the byte already held back. */
export const windowSize = 2 ** windowBits;
/** 2^40: `range` is renormalised (a byte shifted out) whenever it falls below this. */
export const bottom = 2 ** (windowBits - 8);
/** The largest total a caller may use is 2^maxTotalBits (cumulative frequencies below it fit a Uint32). */
export const maxTotalBits = 32;
/** The precision the range stage uses unless told otherwise (theory §8 asks for P ≥ 24). */
export const defaultPrecision = 24;

/** 2^−P for every allowed P (NaN for P = 0, so it fails every check): multiplying is exact, and faster than dividing. */
export const inverseTotals: Float64Array = Float64Array.from({ length: maxTotalBits + 1 }, (_, bits) => (bits === 0 ? NaN : 2 ** -bits));

/** Throws unless `totalBits` is an integer in [1, maxTotalBits]. */
export function checkTotalBits(totalBits: number): void {
  if (!Number.isInteger(totalBits) || totalBits < 1 || totalBits > maxTotalBits) {
    throw new RangeError(`range coder: totalBits must be an integer in [1, ${maxTotalBits}], got ${totalBits}`);
  }
}
