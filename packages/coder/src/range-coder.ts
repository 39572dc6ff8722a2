import { defineStage, KolmoError, type Coder, type CoderSession, type Predictor, type SymbolCodec, type TokenBatch } from '@kolmo/core';
import { z } from 'zod';
import { defaultPrecision, maxTotalBits, RangeEncoder } from '@kolmo/entropy-coding';

/**
 * Real coding: every token goes through the predictor's `codec(P)` into a range encoder (with
 * `codec.beginDocument()` before each document's first token, for codecs that have it). A batch's bits are
 * the ideal code lengths of the quantized distribution actually used (what the bytes pay for, up to the
 * coder's own overhead), and its `codedBytes` are the bytes the encoder made final while coding it. The bytes
 * held back for a possible carry (usually one or two) and the ending come out in `finish`, whose codedBytes is
 * the whole stream: Σ batch codedBytes ≤ finish().codedBytes.
 * The bytes themselves are counted, not kept, so memory stays flat on long runs.
 * The predictor itself also learns every batch (`score`): the codec is a separate copy of the model, and the
 * predictor's statistics and a later evaluation phase must see a trained model.
 */
export class RangeCoder implements Coder {
  private readonly precision: number;

  constructor(precision: number) {
    this.precision = precision;
  }

  open(name: string, predictor: Predictor): CoderSession {
    if (!predictor.codec) {
      throw new KolmoError(
        'invalidSpec',
        `coder range: predictor "${name}" has no codec() (it cannot give a full next-token distribution), so it cannot be range coded; use coder: { type: ideal } for its code lengths`,
      );
    }
    return new RangeCoderSession(name, predictor, predictor.codec(this.precision));
  }
}

class RangeCoderSession implements CoderSession {
  private readonly name: string;
  private readonly predictor: Predictor;
  private readonly codec: SymbolCodec;
  private readonly encoder = new RangeEncoder();
  /** The document of the last token coded; documents are numbered from 0, so −1 means none yet. */
  private lastDocument = -1;

  constructor(name: string, predictor: Predictor, codec: SymbolCodec) {
    this.name = name;
    this.predictor = predictor;
    this.codec = codec;
  }

  code(tokens: TokenBatch) {
    const { ids, length } = tokens;
    const bits = new Float64Array(length);
    const before = this.encoder.committedBytes;
    const codec = this.codec;
    if (codec.beginDocument) {
      // Tell the codec where documents start, across batch boundaries, as its predictor's score does.
      const { doc } = tokens;
      for (let i = 0; i < length; i++) {
        if (doc[i] !== this.lastDocument) {
          this.lastDocument = doc[i];
          codec.beginDocument();
        }
        bits[i] = codec.encode(ids[i], this.encoder);
      }
    } else {
      for (let i = 0; i < length; i++) bits[i] = codec.encode(ids[i], this.encoder);
    }
    this.encoder.take();
    const scored = { predictor: this.name, tokens, bits, codedBytes: this.encoder.committedBytes - before };
    // The codec carries its own model; the predictor is updated too, for its statistics (and waited for if async).
    const update = this.predictor.score(tokens);
    return update instanceof Promise ? update.then(() => scored) : scored;
  }

  finish(): { codedBytes: number } {
    this.encoder.finish();
    return { codedBytes: this.encoder.committedBytes };
  }
}

export const rangeCoder = defineStage({
  kind: 'coder',
  type: 'range',
  description: "real range coding through each predictor's codec(): bits of the quantized distribution used, and coded bytes",
  config: z.object({
    precision: z
      .number()
      .int()
      .min(1)
      .max(maxTotalBits)
      .default(defaultPrecision)
      .describe(`P: distributions are quantized to integer frequencies totalling 2^P; the cost over ideal is about −log2(1 − V/2^P) bits a token (theory §8 asks for P ≥ 24)`),
  }),
  create: ({ precision }): Coder => new RangeCoder(precision),
});
