import { KolmoError, type Predictor, type Rng, type SymbolCodec, type TokenBatch } from '@kolmo/core';
import { createNgramModel, type NgramModelOptions } from './create-ngram-model.ts';
import type { NgramModel } from './ngram-model.ts';
import { NgramSymbolCodec } from './ngram-symbol-codec.ts';

/** Counts are 32-bit: a model may learn at most this many tokens. */
const MAX_TOKENS = 0x7fffffff;

/** The codec's precision when the coder asks for none (theory §8: P ≥ 24). */
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
  /** The held-out stream's last document; the cursor continues it until `score` learns more. */
  private cursorDocument = Number.NaN;
  /** false after `score`: the next `evaluate` starts its cursor where training stands. */
  private cursorFollowsTraining = false;

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
    this.cursorFollowsTraining = false;
    return bits;
  }

  /**
   * Held-out scoring with the model frozen: the bits `score` would give these tokens at this point if it learned
   * nothing on the way (no count, seating, discount or table changes; the training stream and its context are
   * untouched, so later `score` calls give the same bits as without this call). The held-out tokens run as one
   * stream from where training stands: its contexts move along them, restarting at documents as in `score`, and
   * consecutive `evaluate` calls continue it until `score` is called again. A context never seen in training
   * backs off as one without customers.
   */
  evaluate(tokens: TokenBatch): Float64Array {
    const { ids, doc, length } = tokens;
    const model = this.model;
    const size = model.vocabularySize;
    if (!this.cursorFollowsTraining) {
      model.moveCursorToTraining();
      this.cursorDocument = this.lastDocument;
      this.cursorFollowsTraining = true;
    }
    // All ids are checked first, so a refused batch leaves the held-out stream where it was.
    for (let i = 0; i < length; i++) {
      const w = ids[i];
      if (w < 0 || w >= size) throw new KolmoError('input', `ngram predictor: token id ${w} is outside the vocabulary [0, ${size})`);
    }
    const bits = new Float64Array(length);
    let lastDocument = this.cursorDocument;
    for (let i = 0; i < length; i++) {
      const w = ids[i];
      if (doc[i] !== lastDocument) {
        lastDocument = doc[i];
        model.beginCursorDocument();
      }
      bits[i] = -Math.log2(model.advance(w));
    }
    this.cursorDocument = lastDocument;
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
