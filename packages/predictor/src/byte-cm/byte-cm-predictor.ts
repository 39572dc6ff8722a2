import { KolmoError, type Predictor, type SymbolCodec, type TokenBatch } from '@kolmo/core';
import { ByteCmCodec, scoreByte } from './byte-cm-codec.ts';
import { ByteCmModel, defaultByteCmOptions, type ByteCmOptions } from './byte-cm-model.ts';

/**
 * The byte-level context-mixing predictor over byte tokens (0..255): `score` gives each byte's code length
 * under the adaptive model and learns from it; `codec()` codes with a fresh copy of the same model, with the
 * very probabilities `score` used, so coded size and ideal bits agree (plus the coder's few ending bytes).
 */
export class ByteCmPredictor implements Predictor {
  private readonly options: ByteCmOptions;
  /** Built at the first `score`, so a predictor used only for its codec allocates one model, not two. */
  private model: ByteCmModel | undefined;

  constructor(options: ByteCmOptions = defaultByteCmOptions) {
    this.options = options;
  }

  score(tokens: TokenBatch): Float64Array {
    const model = (this.model ??= new ByteCmModel(this.options));
    const { ids, length } = tokens;
    const bits = new Float64Array(length);
    for (let i = 0; i < length; i++) {
      const byte = ids[i];
      if (!(byte >= 0 && byte <= 255)) {
        throw new KolmoError('input', `byte-cm: token ${i} has id ${byte}, not a byte (0..255); use the bytes tokenizer`);
      }
      bits[i] = scoreByte(model, byte);
    }
    return bits;
  }

  /**
   * A fresh codec of the same model. It codes binary decisions at its own 12-bit precision, so the requested
   * precision is not used: its coded bits equal the ideal bits `score` reports (no quantization loss on top).
   */
  codec(_totalBits?: number): SymbolCodec {
    return new ByteCmCodec(new ByteCmModel(this.options));
  }

  statistics(): Record<string, number> {
    return this.model?.statistics() ?? { bytes: 0 };
  }
}
