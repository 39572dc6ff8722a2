import type { EntropyDecoder, EntropyEncoder } from '@kolmo/core';

/**
 * A test-only arithmetic coder with exact rational arithmetic (BigInt), no renormalisation, no rounding:
 * after n symbols the interval is [low, low + width) / 2^(Σ totalBits). It checks the codec's integers
 * (cumulative + frequency ≤ total, frequency ≥ 1) and that the decoder replays exactly what was encoded.
 */
export class ExactArithmeticEncoder implements EntropyEncoder {
  low = 0n;
  width = 1n;
  scaleBits = 0n;
  readonly steps: { cumulative: number; frequency: number; totalBits: number }[] = [];

  encode(cumulative: number, frequency: number, totalBits: number): void {
    checkInterval(cumulative, frequency, totalBits);
    const bits = BigInt(totalBits);
    this.low = (this.low << bits) + BigInt(cumulative) * this.width;
    this.width *= BigInt(frequency);
    this.scaleBits += bits;
    this.steps.push({ cumulative, frequency, totalBits });
  }

  /** The code: a point of the final interval, with the total scale. */
  finish(): { value: bigint; scaleBits: bigint } {
    return { value: this.low, scaleBits: this.scaleBits };
  }

  /** −log2 of the final interval's width: the exact code length in bits (the sum of the symbols' ideal bits). */
  codeLengthBits(): number {
    return Number(this.scaleBits) - log2BigInt(this.width);
  }
}

export class ExactArithmeticDecoder implements EntropyDecoder {
  private low = 0n;
  private width = 1n;
  private scaleBits = 0n;
  private readonly value: bigint;
  private readonly totalScaleBits: bigint;

  constructor(code: { value: bigint; scaleBits: bigint }) {
    this.value = code.value;
    this.totalScaleBits = code.scaleBits;
  }

  target(totalBits: number): number {
    // (value / 2^S − low / 2^s) / (width / 2^s) · 2^P, floored.
    const shift = this.totalScaleBits - this.scaleBits;
    const offset = this.value - (this.low << shift);
    return Number((offset << BigInt(totalBits)) / (this.width << shift));
  }

  consume(cumulative: number, frequency: number, totalBits: number): void {
    checkInterval(cumulative, frequency, totalBits);
    const bits = BigInt(totalBits);
    this.low = (this.low << bits) + BigInt(cumulative) * this.width;
    this.width *= BigInt(frequency);
    this.scaleBits += bits;
  }
}

function checkInterval(cumulative: number, frequency: number, totalBits: number): void {
  if (!Number.isInteger(cumulative) || !Number.isInteger(frequency) || frequency < 1 || cumulative < 0 || cumulative + frequency > 2 ** totalBits)
    throw new RangeError(`bad interval: cumulative ${cumulative}, frequency ${frequency}, total 2^${totalBits}`);
}

function log2BigInt(x: bigint): number {
  const bits = x.toString(2).length;
  const shift = Math.max(0, bits - 53);
  return Number(x >> BigInt(shift)) > 0 ? Math.log2(Number(x >> BigInt(shift))) + shift : -Infinity;
}
