import { fileURLToPath } from 'node:url';
import { KolmoError, loadPlugins, Rng, type Generator, type StageContext } from '@kolmo/core';
import { PitmanYorPrior } from '../knowledge/pitman-yor-prior.ts';
import { syntaxKnowledgeGenerator } from '../syntax-knowledge-generator.ts';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BayesOptimalPredictor, bayesOptimalPredictor } from './bayes-optimal-predictor.ts';
import { CapacityLimitedPredictor, capacityLimitedPredictor } from './capacity-limited-predictor.ts';
import { MemoryBoundedPredictor, memoryBoundedPredictor } from './memory-bounded-predictor.ts';
import { OraclePredictor, oraclePredictor } from './oracle-predictor.ts';
import { testCorpus } from './syntax-knowledge-corpus.fixture.ts';

function contextWith(generator: Generator | undefined): StageContext {
  const root = new Rng(1);
  return {
    runDir: '.',
    specDir: '.',
    point: {},
    seed: 1,
    rng: (stream: string) => root.split(stream),
    signal: new AbortController().signal,
    log: { info: () => {}, warn: () => {} },
    create: () => Promise.reject(new Error('no nested components here')),
    upstream: { generator },
  };
}

const otherGenerator: Generator = { batches: () => [][Symbol.iterator]() };

describe('syntax-knowledge predictor stages', () => {
  const corpus = testCorpus({ seed: 51 });
  const skGenerator = syntaxKnowledgeGenerator(corpus.source, 256);

  it('are registered in the syntax-knowledge plugin with the model\'s other stages, as the CLI loads it', async () => {
    const registry = await loadPlugins([{ name: '@kolmo/syntax-knowledge', baseDir: fileURLToPath(new URL('../../../../', import.meta.url)) }]);
    for (const type of ['oracle', 'bayes-optimal', 'capacity-limited', 'memory-bounded']) expect(registry.get('predictor', type)?.descriptor.type).toBe(type);
    for (const type of ['syntax-knowledge', 'two-phase']) expect(registry.get('generator', type)?.descriptor.type).toBe(type);
    expect(registry.get('tokenizer', 'slot-word')?.descriptor.type).toBe('slot-word');
    expect(registry.get('prior', 'pitman-yor')?.descriptor.type).toBe('pitman-yor');
    for (const type of ['acquisition', 'qa-probes']) expect(registry.get('sink', type)?.descriptor.type).toBe(type);
  });

  it('build their predictors on the syntax-knowledge source upstream', async () => {
    const context = contextWith(skGenerator);
    expect(await oraclePredictor.create(oraclePredictor.config.parse({}), context)).toBeInstanceOf(OraclePredictor);
    expect(await bayesOptimalPredictor.create(bayesOptimalPredictor.config.parse({}), context)).toBeInstanceOf(BayesOptimalPredictor);
    const limited = await capacityLimitedPredictor.create(capacityLimitedPredictor.config.parse({ capacityBits: 5000 }), context);
    expect(limited).toBeInstanceOf(CapacityLimitedPredictor);
    expect((limited as CapacityLimitedPredictor).settings).toEqual({ capacityBits: 5000, parameterBits: 16 });
    const bounded = await memoryBoundedPredictor.create(memoryBoundedPredictor.config.parse({ memory: 100 }), context);
    expect(bounded).toBeInstanceOf(MemoryBoundedPredictor);
    expect((bounded as MemoryBoundedPredictor).settings).toEqual({ memory: 100, decay: 0, discount: 0.5, concentration: 1 });
  });

  it('refuse a pipeline without a syntax-knowledge generator, naming the predictor', async () => {
    for (const [stage, config] of [
      [oraclePredictor, {}],
      [bayesOptimalPredictor, {}],
      [capacityLimitedPredictor, { capacityBits: 1 }],
      [memoryBoundedPredictor, { memory: 1 }],
    ] as const) {
      const attempt = async () => stage.create((stage.config as z.ZodType).parse(config) as never, contextWith(otherGenerator));
      await expect(attempt()).rejects.toThrow(KolmoError);
      await expect(attempt()).rejects.toThrow(new RegExp(`predictor "${stage.type}" needs a syntax-knowledge generator`));
    }
  });

  it('validate their configs', async () => {
    expect(capacityLimitedPredictor.config.safeParse({}).success).toBe(false);
    expect(capacityLimitedPredictor.config.safeParse({ capacityBits: -1 }).success).toBe(false);
    expect(memoryBoundedPredictor.config.safeParse({ memory: 10, decay: 1 }).success).toBe(false);
    expect(memoryBoundedPredictor.config.safeParse({ memory: -1 }).success).toBe(false);
    for (const stage of [oraclePredictor, bayesOptimalPredictor, capacityLimitedPredictor, memoryBoundedPredictor]) {
      expect(() => z.toJSONSchema(stage.config, { io: 'input' })).not.toThrow();
    }
    const negative = testCorpus({ seed: 52, prior: new PitmanYorPrior(0.5, -0.2) });
    const context = contextWith(syntaxKnowledgeGenerator(negative.source, 256));
    await expect(async () => memoryBoundedPredictor.create(memoryBoundedPredictor.config.parse({ memory: 5, decay: 0.1 }), context)).rejects.toThrow(/β ≥ 0/);
    await expect(Promise.resolve(memoryBoundedPredictor.create(memoryBoundedPredictor.config.parse({ memory: 5 }), context))).resolves.toBeInstanceOf(MemoryBoundedPredictor);
  });

  it('refuse tokens without the syntax-knowledge structure', () => {
    const predictor = new BayesOptimalPredictor(corpus.source);
    const tokens = corpus.tokenizer.tokenizeText({ first: 0, text: ['Where was'], columns: {} });
    expect(() => predictor.score(tokens)).toThrow(/structure columns/);
  });
});
