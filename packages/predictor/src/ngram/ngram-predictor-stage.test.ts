import { KolmoError, Rng, type StageContext, type Tokenizer } from '@kolmo/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ngramModelOptions, ngramPredictor, ngramPredictorConfig } from './ngram-predictor-stage.ts';
import { tokenBatchFrom } from './testing/token-batch-from.ts';

function contextWith(tokenizer: Tokenizer | undefined, seed = 42): StageContext {
  const root = new Rng(seed);
  return {
    runDir: '.',
    specDir: '.',
    point: {},
    seed,
    rng: (stream: string) => root.split(`pipeline.predictors[0]/${stream}`),
    signal: new AbortController().signal,
    log: { info: () => {}, warn: () => {} },
    create: () => Promise.reject(new Error('no nested components here')),
    upstream: { tokenizer },
  };
}

const tokenizer = (vocabularySize: number): Tokenizer => ({
  vocabularySize,
  tokenize: () => {
    throw new Error('not used');
  },
});

describe('ngram predictor stage', () => {
  it('defaults to order 3, interpolated Kneser–Ney with estimated discounts, restarting at documents', () => {
    const config = ngramPredictorConfig.parse({});
    expect(config).toMatchObject({ order: 3, smoothing: 'kneser-ney', resetAtDocument: true, estimateDiscounts: true });
    expect(ngramModelOptions(config, 100)).toMatchObject({ smoothing: 'kneser-ney', vocabularySize: 100, order: 3, discounts: [0.5, 1, 1.5] });
    expect(() => z.toJSONSchema(ngramPredictorConfig, { io: 'input' })).not.toThrow();
  });

  it('spreads one Pitman–Yor discount and concentration over all context lengths, or takes one per length', () => {
    const one = ngramModelOptions(ngramPredictorConfig.parse({ smoothing: 'pitman-yor', order: 2 }), 10);
    expect(one).toMatchObject({ discounts: [0.75, 0.75, 0.75], concentrations: [1, 1, 1], seating: 'sampled' });
    const each = ngramModelOptions(ngramPredictorConfig.parse({ smoothing: 'pitman-yor', order: 1, discount: [0.5, 0.8], concentration: [2, -0.5] }), 10);
    expect(each).toMatchObject({ discounts: [0.5, 0.8], concentrations: [2, -0.5] });
  });

  it('refuses bad configs with errors that say what is allowed', () => {
    expect(ngramPredictorConfig.safeParse({ order: -1 }).success).toBe(false);
    expect(ngramPredictorConfig.safeParse({ discount: 1 }).success).toBe(false);
    expect(ngramPredictorConfig.safeParse({ kneserNeyDiscounts: [0.5, 2.5, 1] }).success).toBe(false);
    expect(ngramPredictorConfig.safeParse({ smoothing: 'witten-bell' }).success).toBe(false);
    const wrongLength = ngramPredictorConfig.parse({ smoothing: 'pitman-yor', order: 2, discount: [0.5, 0.5] });
    expect(() => ngramModelOptions(wrongLength, 10)).toThrow(/give one number or 3/);
    const belowMinusD = ngramPredictorConfig.parse({ smoothing: 'pitman-yor', discount: 0.5, concentration: -0.5 });
    expect(() => ngramModelOptions(belowMinusD, 10)).toThrow(KolmoError);
    expect(() => ngramPredictor.create(ngramPredictorConfig.parse({}), contextWith(undefined))).toThrow(/needs a tokenizer/);
  });

  it('builds a predictor over the tokenizer vocabulary whose sampled seating follows the run seed', async () => {
    const config = ngramPredictorConfig.parse({ smoothing: 'pitman-yor', order: 2 });
    const ids = Array.from({ length: 3000 }, (_, t) => (t * t + (t >> 3)) % 17);
    const score = async (seed: number) => (await ngramPredictor.create(config, contextWith(tokenizer(17), seed))).score(tokenBatchFrom(ids));
    expect(await score(1)).toEqual(await score(1));
    expect(await score(1)).not.toEqual(await score(2));
    const kneserNey = await ngramPredictor.create(ngramPredictorConfig.parse({}), contextWith(tokenizer(17)));
    expect((await kneserNey.score(tokenBatchFrom(ids))).every((bits) => bits > 0 && Number.isFinite(bits))).toBe(true);
    expect(kneserNey.statistics?.()).toMatchObject({ tokens: 3000 });
  });
});
