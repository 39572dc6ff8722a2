import { KolmoError, type Predictor, type Rng, type SymbolCodec, type TokenBatch } from '@kolmo/core';
import { createNgramModel, type NgramModelOptions } from './create-ngram-model.ts';
import type { NgramModel } from './ngram-model.ts';
import { NgramSymbolCodec } from './ngram-symbol-codec.ts';

/** Counts are 32-bit: a model may learn at most this many tokens. */
const MAX_TOKENS = 0x7fffffff;

/** The codec's precision when the coder asks for none (SPEC §8: P ≥ 24). */
export const ngramDefaultPrecision = 24;

/**
 * The structure-blind token model as a predictor: online (predict, then learn), batches in order.
 * A change of `doc` between consecutive tokens starts a document (see `NgramShape.resetAtDocument`).
 */
export class NgramPredictor implements Predictor {
  readonly options: NgramModelOptions;
  private readonly model: NgramModel;
  private readonly seatingRng: () => Rng | undefined;
  private lastDocument = Number.NaN;

  /**
   * `seatingRng` must return a fresh Rng in the same initial state at every call (e.g. `() => context.rng('seating')`):
   * the codec replays the model from its initial state.
   */
  constructor(options: NgramModelOptions, seatingRng: () => Rng | undefined = () => undefined) {
    this.options = options;
    this.seatingRng = seatingRng;
    this.model = createNgramModel(options, { rng: seatingRng() });
  }

  score(tokens: TokenBatch): Float64Array {
    const { ids, doc, length } = tokens;
    const model = this.model;
    const size = model.vocabularySize;
    if (model.tokens + length > MAX_TOKENS)
      throw new KolmoError('input', `ngram predictor: more than ${MAX_TOKENS} tokens would overflow its 32-bit counts`);
    const bits = new Float64Array(length);
    let lastDocument = this.lastDocument;
    for (let i = 0; i < length; i++) {
      const w = ids[i];
      if (w < 0 || w >= size) throw new KolmoError('input', `ngram predictor: token id ${w} is outside the vocabulary [0, ${size})`);
      if (doc[i] !== lastDocument) {
        lastDocument = doc[i];
        model.beginDocument();
      }
      bits[i] = -Math.log2(model.observe(w));
    }
    this.lastDocument = lastDocument;
    return bits;
  }

  /**
   * A codec over a fresh model, quantizing to totals 2^totalBits (2^totalBits ≥ 2V). The coder must call its
   * `beginDocument` where documents start for it to code as `score` does when contexts reset at documents.
   */
  codec(totalBits = ngramDefaultPrecision): SymbolCodec {
    const size = this.options.vocabularySize;
    if (!Number.isInteger(totalBits) || totalBits > 52 || 2 ** totalBits < 2 * size)
      throw new KolmoError(
        'invalidSpec',
        `ngram codec: precision ${totalBits} is too small for a vocabulary of ${size} (needs 2^P ≥ 2V, P ≥ ${Math.ceil(Math.log2(2 * size))})`,
      );
    return new NgramSymbolCodec(createNgramModel(this.options, { rng: this.seatingRng(), trackChildren: true }), totalBits);
  }

  statistics(): Record<string, number> {
    return this.model.statistics();
  }
}
