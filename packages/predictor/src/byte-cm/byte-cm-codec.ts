import type { EntropyDecoder, EntropyEncoder, SymbolCodec } from '@kolmo/core';
import type { ByteCmModel } from './byte-cm-model.ts';

/** Each binary decision is coded with its 12-bit probability: totals of 2^12, p1 in [1, 4095]. */
export const byteCmProbabilityBits = 12;
const one = 1 << byteCmProbabilityBits;

/** −log2(f / 2^12) for a frequency f in [1, 2^12]: the exact cost of the quantized decision. */
const decisionCosts = Float64Array.from({ length: one + 1 }, (_, f) => (f === 0 ? Infinity : byteCmProbabilityBits - Math.log2(f)));

function checkByte(symbol: number): void {
  if (!(symbol >= 0 && symbol <= 255 && Math.floor(symbol) === symbol)) {
    throw new RangeError(`byte-cm: symbol ${symbol} is not a byte (0..255)`);
  }
}

/**
 * The code length of `byte` under the model (Σ over its 8 decisions of −log2 of the quantized probability),
 * advancing the model. It adds the same terms in the same order as `ByteCmCodec.encode`, so ideal bits and
 * coded bits are equal to the last bit of the double.
 */
export function scoreByte(model: ByteCmModel, byte: number): number {
  let bits = 0;
  for (let i = 7; i >= 0; i--) {
    const bit = (byte >> i) & 1;
    const p1 = model.p();
    bits += decisionCosts[bit === 1 ? p1 : one - p1];
    model.update(bit);
  }
  return bits;
}

/**
 * Codes a byte as its 8 binary decisions, most significant first: bit 0 is [0, 2^12 − p1), bit 1 is
 * [2^12 − p1, 2^12), where p1 ∈ [1, 4095] is the model's probability of a 1, so every frequency is ≥ 1.
 * Decoding mirrors it decision by decision, updating the same model with the same bits.
 */
export class ByteCmCodec implements SymbolCodec {
  private readonly model: ByteCmModel;

  /** @param model a fresh model in its initial state (encoder and decoder each need their own) */
  constructor(model: ByteCmModel) {
    this.model = model;
  }

  encode(symbol: number, encoder: EntropyEncoder): number {
    checkByte(symbol);
    const model = this.model;
    let bits = 0;
    for (let i = 7; i >= 0; i--) {
      const bit = (symbol >> i) & 1;
      const p1 = model.p();
      if (bit === 1) {
        encoder.encode(one - p1, p1, byteCmProbabilityBits);
        bits += decisionCosts[p1];
      } else {
        encoder.encode(0, one - p1, byteCmProbabilityBits);
        bits += decisionCosts[one - p1];
      }
      model.update(bit);
    }
    return bits;
  }

  decode(decoder: EntropyDecoder): number {
    const model = this.model;
    let byte = 0;
    for (let i = 0; i < 8; i++) {
      const p1 = model.p();
      const bit = decoder.target(byteCmProbabilityBits) >= one - p1 ? 1 : 0;
      if (bit === 1) decoder.consume(one - p1, p1, byteCmProbabilityBits);
      else decoder.consume(0, one - p1, byteCmProbabilityBits);
      model.update(bit);
      byte = (byte << 1) | bit;
    }
    return byte;
  }
}
