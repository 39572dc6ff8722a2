import { defineStage, KolmoError } from '@kolmo/core';
import { z } from 'zod';
import type { NgramModelOptions } from './create-ngram-model.ts';
import { NgramPredictor } from './ngram-predictor.ts';

const perContextLength = <T extends z.ZodNumber>(value: T) => z.union([value, z.array(value).min(1)]);

export const ngramPredictorConfig = z.object({
  order: z
    .number()
    .int()
    .min(0)
    .max(32)
    .default(3)
    .describe('context length k: the model conditions on the previous k tokens (an order-k Markov model; 0 = adaptive unigram)'),
  smoothing: z
    .enum(['kneser-ney', 'pitman-yor'])
    .default('kneser-ney')
    .describe('interpolated modified Kneser–Ney, or the hierarchical Pitman–Yor LM of Teh (2006)'),
  resetAtDocument: z
    .boolean()
    .default(true)
    .describe('start every document from the begin context (scored independently of the previous document; counts persist)'),
  kneserNeyDiscounts: z
    .tuple([z.number().gt(0).max(1), z.number().gt(0).max(2), z.number().gt(0).max(3)])
    .default([0.5, 1, 1.5])
    .describe('kneser-ney: discounts D1, D2, D3+ for every order; with estimateDiscounts, the fallback where an estimate is undefined or out of (0, c]'),
  estimateDiscounts: z
    .boolean()
    .default(true)
    .describe('kneser-ney: re-estimate each order’s discounts from its count-of-counts so far (Chen & Goodman)'),
  discount: perContextLength(z.number().min(0).lt(1))
    .default(0.75)
    .describe('pitman-yor: discount d in [0, 1), one value for all context lengths or a list for lengths 0 … order'),
  concentration: perContextLength(z.number())
    .default(1)
    .describe('pitman-yor: concentration θ > −d, one value for all context lengths or a list for lengths 0 … order'),
  seating: z
    .enum(['sampled', 'minimal'])
    .default('sampled')
    .describe('pitman-yor: sampled = Chinese-restaurant seating drawn from the run seed; minimal = one table per type (deterministic)'),
});

export type NgramPredictorConfig = z.output<typeof ngramPredictorConfig>;

/** Resolves a validated config into model options, with the checks a schema cannot express. */
export function ngramModelOptions(config: NgramPredictorConfig, vocabularySize: number): NgramModelOptions {
  const { order, resetAtDocument } = config;
  const shape = { vocabularySize, order, resetAtDocument };
  if (config.smoothing === 'kneser-ney')
    return { smoothing: 'kneser-ney', ...shape, discounts: config.kneserNeyDiscounts, estimateDiscounts: config.estimateDiscounts };
  const discounts = perDepth(config.discount, order, 'discount');
  const concentrations = perDepth(config.concentration, order, 'concentration');
  for (let j = 0; j <= order; j++)
    if (!(concentrations[j] > -discounts[j]))
      throw new KolmoError(
        'invalidSpec',
        `ngram.concentration: at context length ${j} θ = ${concentrations[j]} must exceed −d = ${-discounts[j]}`,
      );
  return { smoothing: 'pitman-yor', ...shape, discounts, concentrations, seating: config.seating };
}

function perDepth(value: number | number[], order: number, name: string): number[] {
  if (typeof value === 'number') return new Array<number>(order + 1).fill(value);
  if (value.length !== order + 1)
    throw new KolmoError(
      'invalidSpec',
      `ngram.${name}: give one number or ${order + 1} (context lengths 0 … ${order}), got a list of ${value.length}`,
    );
  return value;
}

export const ngramPredictor = defineStage({
  kind: 'predictor',
  type: 'ngram',
  description: 'structure-blind order-k token n-gram, online: interpolated Kneser–Ney or hierarchical Pitman–Yor (Teh 2006)',
  config: ngramPredictorConfig,
  create: (config, context) => {
    const tokenizer = context.upstream.tokenizer;
    if (!tokenizer) throw new KolmoError('invalidSpec', 'ngram: needs a tokenizer before it');
    const options = ngramModelOptions(config, tokenizer.vocabularySize);
    const sampled = options.smoothing === 'pitman-yor' && options.seating === 'sampled';
    return new NgramPredictor(options, () => (sampled ? context.rng('seating') : undefined));
  },
});
