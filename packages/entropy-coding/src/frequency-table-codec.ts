import type { EntropyDecoder, EntropyEncoder, SymbolCodec } from '@kolmo/core';
import { cumulativeFrequencies, quantizedBits } from './frequency-quantizer.ts';

/**
 * A SymbolCodec over one fixed frequency table (integers summing to 2^totalBits, each ≥ 1, e.g. from
 * `quantizeFrequencies`): the memoryless source, for tests, benchmarks and static models. Decoding finds the
 * symbol by binary search over the cumulative table.
 */
export class FrequencyTableCodec implements SymbolCodec {
  private readonly cumulative: Float64Array;
  private readonly totalBits: number;

  constructor(frequencies: ArrayLike<number>, totalBits: number) {
    this.cumulative = cumulativeFrequencies(frequencies);
    this.totalBits = totalBits;
    const total = this.cumulative[frequencies.length];
    if (total !== 2 ** totalBits) throw new RangeError(`FrequencyTableCodec: frequencies sum to ${total}, not 2^${totalBits}`);
    for (let x = 0; x < frequencies.length; x++) {
      if (!(frequencies[x] >= 1) || !Number.isInteger(frequencies[x])) {
        throw new RangeError(`FrequencyTableCodec: frequency ${x} is ${frequencies[x]}; each must be an integer ≥ 1`);
      }
    }
  }

  get alphabetSize(): number {
    return this.cumulative.length - 1;
  }

  encode(symbol: number, encoder: EntropyEncoder): number {
    const low = this.cumulative[symbol];
    const frequency = this.cumulative[symbol + 1] - low;
    encoder.encode(low, frequency, this.totalBits);
    return quantizedBits(frequency, this.totalBits);
  }

  decode(decoder: EntropyDecoder): number {
    const target = decoder.target(this.totalBits);
    const cumulative = this.cumulative;
    let lo = 0;
    let hi = cumulative.length - 1; // cumulative[lo] ≤ target < cumulative[hi]
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid] <= target) lo = mid;
      else hi = mid;
    }
    decoder.consume(cumulative[lo], cumulative[lo + 1] - cumulative[lo], this.totalBits);
    return lo;
  }
}
