/**
 * The interface between a model and an entropy coder (theory §8). A model quantizes its next-symbol
 * distribution to integer frequencies whose total is 2^totalBits, deterministically, and hands the coder the
 * symbol's cumulative frequency and frequency. Both encoder and decoder see exactly the same integers.
 */
export interface EntropyEncoder {
  encode(cumulative: number, frequency: number, totalBits: number): void;
}

export interface EntropyDecoder {
  /** The target in [0, 2^totalBits) that identifies the next symbol; call `consume` after finding it. */
  target(totalBits: number): number;
  consume(cumulative: number, frequency: number, totalBits: number): void;
}

/**
 * A sequential model that can drive an entropy coder: each call codes one symbol and advances the model.
 * `encode` returns the ideal code length in bits of the quantized distribution it used.
 */
export interface SymbolCodec {
  encode(symbol: number, encoder: EntropyEncoder): number;
  decode(decoder: EntropyDecoder): number;
  /**
   * Optional: the coder calls it before the first symbol of each document (where `TokenBatch.doc` changes, on
   * both the encoding and the decoding side), for models whose context restarts at documents, so that the codec
   * codes exactly as the predictor's `score` does. Models without a notion of documents leave it out.
   */
  beginDocument?(): void;
}
