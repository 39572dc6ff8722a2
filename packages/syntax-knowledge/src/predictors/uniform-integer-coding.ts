import type { EntropyDecoder, EntropyEncoder } from '@kolmo/core';

/** A uniform choice among at most this many values is coded in one step. */
const digit = 2 ** 16;
const digitBits = 16;
/** The largest count: two digits (names: F·L ≈ 3.5·10⁷ < 2^26). */
export const maxUniformCount = 2 ** 32;

/**
 * Codes an integer uniform over [0, count) through an entropy coder whose totals are powers of two.
 *
 * - count ≤ 2^16: x gets [⌊x·2^P/count⌋, ⌊(x+1)·2^P/count⌋) (exact integers: x·2^P < 2^53), so the cost over
 *   log2(count) is below −log2(1 − count/2^P); P = 20 + ⌈⌈log2 count⌉/2⌉ within [24, 28] balances that against
 *   the range coder's own truncation cost −log2(1 − 2^(P−40)): under 0.0007 bits a value in all.
 * - larger counts (up to 2^32): a high digit h = ⌊x / 2^16⌋ weighted by how many values it covers (2^16, the last
 *   one the rest r), quantized to 2^24 (2^32 beyond 2^12 digits) by the boundary h + min(K, ⌊(S(h)/count)·K⌋),
 *   K = 2^P − H (only IEEE ×, ÷ and floor, the same on both sides; strictly increasing, so each frequency is ≥ 1),
 *   then the low digit: exactly 16 bits, or the small case over r for the last high digit.
 * Returns the bits of the quantized distribution used (0 for count = 1, which codes nothing).
 */
export function encodeUniformInteger(value: number, count: number, encoder: EntropyEncoder): number {
  checkCount(count);
  if (!(Number.isInteger(value) && value >= 0 && value < count)) throw new RangeError(`uniform integer: ${value} is not in [0, ${count})`);
  if (count <= digit) return encodeSmall(value, count, encoder);
  const high = Math.floor(value / digit);
  const low = value - high * digit;
  const digits = Math.ceil(count / digit);
  const totalBits = highTotalBits(digits);
  const start = highBoundary(high, digits, count, totalBits);
  const frequency = highBoundary(high + 1, digits, count, totalBits) - start;
  encoder.encode(start, frequency, totalBits);
  let bits = totalBits - Math.log2(frequency);
  if (high < digits - 1) {
    encoder.encode(low, 1, digitBits);
    bits += digitBits;
  } else {
    bits += encodeSmall(low, count - high * digit, encoder);
  }
  return bits;
}

/** The inverse of `encodeUniformInteger` with the same count. */
export function decodeUniformInteger(count: number, decoder: EntropyDecoder): number {
  checkCount(count);
  if (count <= digit) return decodeSmall(count, decoder);
  const digits = Math.ceil(count / digit);
  const totalBits = highTotalBits(digits);
  const target = decoder.target(totalBits);
  // Largest h with boundary(h) ≤ target: boundary(0) = 0 and boundaries strictly increase.
  let lo = 0;
  let hi = digits; // boundary(lo) ≤ target < boundary(hi)
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (highBoundary(mid, digits, count, totalBits) <= target) lo = mid;
    else hi = mid;
  }
  const start = highBoundary(lo, digits, count, totalBits);
  decoder.consume(start, highBoundary(lo + 1, digits, count, totalBits) - start, totalBits);
  if (lo < digits - 1) {
    const low = decoder.target(digitBits);
    decoder.consume(low, 1, digitBits);
    return lo * digit + low;
  }
  return lo * digit + decodeSmall(count - lo * digit, decoder);
}

function encodeSmall(value: number, count: number, encoder: EntropyEncoder): number {
  if (count === 1) return 0;
  const totalBits = smallTotalBits(count);
  const start = smallBoundary(value, count, totalBits);
  const frequency = smallBoundary(value + 1, count, totalBits) - start;
  encoder.encode(start, frequency, totalBits);
  return totalBits - Math.log2(frequency);
}

function decodeSmall(count: number, decoder: EntropyDecoder): number {
  if (count === 1) return 0;
  const totalBits = smallTotalBits(count);
  const target = decoder.target(totalBits);
  // The largest x with ⌊x·2^P/count⌋ ≤ target, i.e. x < (target + 1)·count/2^P (exact: below 2^44, ÷ 2^P).
  const value = Math.ceil(((target + 1) * count) / 2 ** totalBits) - 1;
  const start = smallBoundary(value, count, totalBits);
  decoder.consume(start, smallBoundary(value + 1, count, totalBits) - start, totalBits);
  return value;
}

/** 20 + ⌈⌈log2 count⌉ / 2⌉ within [24, 28], from integer operations only (count ≤ 2^16). */
function smallTotalBits(count: number): number {
  const ceilLog2 = 32 - Math.clz32(count - 1);
  return Math.min(28, Math.max(24, 20 + Math.ceil(ceilLog2 / 2)));
}

/** ⌊x·2^P/count⌋, exact (x·2^P < 2^53, so the correctly rounded quotient floors to the true floor). */
function smallBoundary(x: number, count: number, totalBits: number): number {
  return Math.floor((x * 2 ** totalBits) / count);
}

function highTotalBits(digits: number): number {
  return digits <= 2 ** 12 ? 24 : 32;
}

function highBoundary(h: number, digits: number, count: number, totalBits: number): number {
  const total = 2 ** totalBits;
  if (h >= digits) return total;
  const spare = total - digits;
  return h + Math.min(spare, Math.floor(((h * digit) / count) * spare));
}

function checkCount(count: number): void {
  if (!(Number.isInteger(count) && count >= 1 && count <= maxUniformCount)) {
    throw new RangeError(`uniform integer: the count must be an integer in [1, 2^32], got ${count}`);
  }
}
