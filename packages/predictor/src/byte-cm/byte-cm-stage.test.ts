import { fileURLToPath } from 'node:url';
import { KolmoError, loadPlugins, Rng, type StageContext, type TokenBatch, type Tokenizer } from '@kolmo/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { byteCmPredictor, byteCmPredictorConfig } from './byte-cm-stage.ts';

function contextWith(tokenizer: Tokenizer | undefined): StageContext {
  return {
    runDir: '.',
    specDir: '.',
    point: {},
    seed: 1,
    rng: (stream: string) => new Rng(1, stream),
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

describe('byte-cm predictor stage', () => {
  it('defaults to orders 1–6, words, the match model and a 16 MiB table', () => {
    expect(byteCmPredictorConfig.parse({})).toEqual({ memory: 24, orders: [1, 2, 3, 4, 5, 6], words: true, matchMinLength: 8 });
    expect(() => z.toJSONSchema(byteCmPredictorConfig, { io: 'input' })).not.toThrow();
  });

  it('refuses bad configs with errors that say what is allowed', async () => {
    expect(byteCmPredictorConfig.safeParse({ memory: 30 }).success).toBe(false);
    expect(byteCmPredictorConfig.safeParse({ orders: [0, 2] }).success).toBe(false);
    expect(byteCmPredictorConfig.safeParse({ orders: [9] }).success).toBe(false);
    expect(byteCmPredictorConfig.safeParse({ matchMinLength: -1 }).success).toBe(false);
    const repeated = byteCmPredictorConfig.parse({ orders: [1, 2, 2] });
    await expect(async () => byteCmPredictor.create(repeated, contextWith(tokenizer(256)))).rejects.toThrow(/repeats an order/);
    const words = byteCmPredictorConfig.parse({});
    await expect(async () => byteCmPredictor.create(words, contextWith(tokenizer(50000)))).rejects.toThrow(KolmoError);
  });

  it('is registered in the package as predictor type byte-cm, and builds a working predictor', async () => {
    const repositoryRoot = fileURLToPath(new URL('../../../../', import.meta.url));
    const stages = await loadPlugins([{ name: '@kolmo/predictor', baseDir: repositoryRoot }]);
    const descriptor = stages.get('predictor', 'byte-cm')?.descriptor;
    expect(descriptor).toBe(byteCmPredictor);
    const predictor = await byteCmPredictor.create(byteCmPredictorConfig.parse({ memory: 16 }), contextWith(tokenizer(256)));
    const text = new TextEncoder().encode('abracadabra abracadabra abracadabra');
    const bits = await predictor.score({ length: text.length, ids: Int32Array.from(text) } as TokenBatch);
    expect(bits.every((b) => b > 0 && Number.isFinite(b))).toBe(true);
    // the repeat is learned: the last copy costs far less than the first
    const cost = (from: number, to: number) => bits.subarray(from, to).reduce((a, b) => a + b, 0);
    expect(cost(24, 35)).toBeLessThan(cost(0, 11) / 3);
    expect(predictor.statistics?.()).toMatchObject({ bytes: text.length });
  });
});
