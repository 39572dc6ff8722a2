import { defineStage, logGamma, type Predictor, type SymbolCodec, type TokenBatch } from '@kolmo/core';
import { z } from 'zod';
import { AdaptiveSymbolCodec } from '@kolmo/entropy-coding';

/**
 * Order-0 adaptive model with a symmetric Dirichlet(a) prior over V symbols (KT for a = 1/2):
 * q(x | past) = (c_x + a) / (n + V a). Its sequential code length equals the closed-form marginal
 * −log2 [Γ(Va)/Γ(n+Va) · Π_x Γ(c_x+a)/Γ(a)] (see `dirichletCodeLength`).
 */
export class AdaptiveSymbolPredictor implements Predictor {
  readonly counts: Float64Array;
  private total = 0;
  private readonly prior: number;

  constructor(alphabetSize: number, prior: number) {
    this.counts = new Float64Array(alphabetSize);
    this.prior = prior;
  }

  score(tokens: TokenBatch): Float64Array {
    const { ids, length } = tokens;
    const bits = new Float64Array(length);
    const counts = this.counts;
    const a = this.prior;
    let denominator = this.total + counts.length * a;
    for (let i = 0; i < length; i++) {
      const x = ids[i];
      bits[i] = Math.log2(denominator / (counts[x] + a));
      counts[x]++;
      denominator++;
    }
    this.total += length;
    return bits;
  }

  /** The same model from its initial state, quantized to totals of 2^totalBits (see AdaptiveSymbolCodec). */
  codec(totalBits = 24): SymbolCodec {
    return new AdaptiveSymbolCodec(this.counts.length, this.prior, totalBits);
  }

  /** Held-out bits under the current counts, without learning from them. */
  evaluate(tokens: TokenBatch): Float64Array {
    const bits = new Float64Array(tokens.length);
    const denominator = this.total + this.counts.length * this.prior;
    for (let i = 0; i < tokens.length; i++) bits[i] = Math.log2(denominator / (this.counts[tokens.ids[i]] + this.prior));
    return bits;
  }

  statistics(): Record<string, number> {
    return { symbols: this.total, distinct: this.counts.reduce((k, c) => k + (c > 0 ? 1 : 0), 0) };
  }
}

/** The closed-form Dirichlet-categorical code length of a count vector, in bits. */
export function dirichletCodeLength(counts: ArrayLike<number>, prior: number): number {
  let n = 0;
  let nats = 0;
  for (let x = 0; x < counts.length; x++) {
    n += counts[x];
    if (counts[x] > 0) nats -= logGamma(counts[x] + prior) - logGamma(prior);
  }
  const v = counts.length;
  nats -= logGamma(v * prior) - logGamma(n + v * prior);
  return nats / Math.LN2;
}

export const adaptiveBytesPredictor = defineStage({
  kind: 'predictor',
  type: 'adaptive-bytes',
  description: 'order-0 adaptive model over the tokenizer vocabulary with a Dirichlet prior (KT by default)',
  config: z.object({
    prior: z.number().positive().default(0.5).describe('Dirichlet pseudo-count a per symbol (1/2 = KT, 1 = Laplace)'),
  }),
  create: ({ prior }, context) => {
    const tokenizer = context.upstream.tokenizer;
    if (!tokenizer) throw new Error('adaptive-bytes needs a tokenizer before it');
    return new AdaptiveSymbolPredictor(tokenizer.vocabularySize, prior);
  },
});
