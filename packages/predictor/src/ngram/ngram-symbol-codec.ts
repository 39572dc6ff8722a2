import type { EntropyDecoder, EntropyEncoder, SymbolCodec } from '@kolmo/core';
import type { NgramModel } from './ngram-model.ts';
import { quantizeDistribution } from './quantize-distribution.ts';

/**
 * Drives an entropy coder with an n-gram model: for each symbol the model's whole next-token distribution is
 * quantized to integer frequencies summing to 2^totalBits (`quantizeDistribution`), the coder gets the symbol's
 * cumulative frequency and frequency, and the model learns the symbol exactly as `score` would (same counts,
 * same random seating draws). O(V) per symbol. Encoder and decoder must each use their own codec, created fresh.
 */
export class NgramSymbolCodec implements SymbolCodec {
  readonly totalBits: number;
  private readonly model: NgramModel;
  private readonly probabilities: Float64Array;
  private readonly frequencies: Float64Array;

  /** `model` must be fresh (or in the same state on both sides) and built with `trackChildren`. */
  constructor(model: NgramModel, totalBits: number) {
    this.model = model;
    this.totalBits = totalBits;
    this.probabilities = new Float64Array(model.vocabularySize);
    this.frequencies = new Float64Array(model.vocabularySize);
    if (2 ** totalBits < 2 * model.vocabularySize)
      throw new RangeError(`codec precision ${totalBits} bits is too small for ${model.vocabularySize} symbols (needs 2^P ≥ 2V)`);
  }

  /** The coder calls this before the first symbol of every document (the context may restart there). */
  beginDocument(): void {
    this.model.beginDocument();
  }

  encode(symbol: number, encoder: EntropyEncoder): number {
    const size = this.model.vocabularySize;
    if (!Number.isInteger(symbol) || symbol < 0 || symbol >= size)
      throw new RangeError(`symbol ${symbol} is outside the vocabulary [0, ${size})`);
    const frequencies = this.quantized();
    let cumulative = 0;
    for (let w = 0; w < symbol; w++) cumulative += frequencies[w];
    const frequency = frequencies[symbol];
    encoder.encode(cumulative, frequency, this.totalBits);
    this.model.observe(symbol);
    return this.totalBits - Math.log2(frequency);
  }

  decode(decoder: EntropyDecoder): number {
    const frequencies = this.quantized();
    const target = decoder.target(this.totalBits);
    const last = frequencies.length - 1;
    let cumulative = 0;
    let symbol = 0;
    while (symbol < last && cumulative + frequencies[symbol] <= target) cumulative += frequencies[symbol++];
    decoder.consume(cumulative, frequencies[symbol], this.totalBits);
    this.model.observe(symbol);
    return symbol;
  }

  /** The current quantized distribution (valid until the next encode/decode). */
  quantized(): Float64Array {
    this.model.distribution(this.probabilities);
    quantizeDistribution(this.probabilities, this.totalBits, this.frequencies);
    return this.frequencies;
  }
}
