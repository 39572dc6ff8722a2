import { Rng, type DocumentBatch, type Predictor, type StageContext, type TokenBatch } from '@kolmo/core';
import { describe, expect, it } from 'vitest';
import { twoPhaseGenerator } from './fine-tuning/two-phase-generator.ts';
import { PitmanYorPrior } from './knowledge/pitman-yor-prior.ts';
import { BayesOptimalPredictor } from './predictors/bayes-optimal-predictor.ts';
import { MemoryBoundedPredictor } from './predictors/memory-bounded-predictor.ts';
import { OraclePredictor } from './predictors/oracle-predictor.ts';
import { SlotWordTokenizer } from './slot-word-tokenizer.ts';
import { syntaxKnowledgeSourceOf } from './syntax-knowledge-generator.ts';
import type { SyntaxKnowledgeSource } from './syntax-knowledge-source.ts';

function context(): StageContext {
  const root = new Rng(29);
  return {
    runDir: '.',
    specDir: '.',
    point: {},
    seed: 29,
    rng: (stream) => root.split(stream),
    signal: new AbortController().signal,
    log: { info() {}, warn() {} },
    create: (async () => new PitmanYorPrior(0.5, 1)) as unknown as StageContext['create'],
    upstream: {},
  };
}

/**
 * Fine-tuning with a new format and injected individuals: between pre-training and fine-tuning the source's φ
 * switches and its knowledge becomes a mixture, so any stage that read the source's live state while scoring
 * would code the last pre-training batches with the next phase's truth once it lags behind the generator.
 */
async function fineTuningRun() {
  const generator = await twoPhaseGenerator.create(
    twoPhaseGenerator.config.parse({
      documents: 500,
      fineTune: { documents: 500, format: 'new', inject: [{ elements: 5, rate: 0.2 }, { elements: 50, rate: 0.1 }] },
      mode: 'all-attributes',
      templates: 8,
      batchDocuments: 100,
    }),
    context(),
  );
  const source = syntaxKnowledgeSourceOf(generator)!;
  return { generator, source, batches: generator.batches() as Iterator<DocumentBatch> };
}

function predictorsOf(source: SyntaxKnowledgeSource): Predictor[] {
  return [new OraclePredictor(source), new BayesOptimalPredictor(source), new MemoryBoundedPredictor(source, { memory: 50, decay: 1e-2, discount: 0.5, concentration: 1 })];
}

interface Scored {
  readonly trueBits: Float64Array[];
  readonly bits: Float64Array[][];
}

/** Tokenizes and scores a batch with each predictor, in stream order. */
function score(tokenizer: SlotWordTokenizer, predictors: Predictor[], batch: DocumentBatch, out: Scored): TokenBatch {
  const tokens = tokenizer.tokenize(batch);
  out.trueBits.push(tokens.trueBits!);
  predictors.forEach((predictor, i) => {
    const bits = predictor.score(tokens);
    if (bits instanceof Promise) throw new Error('the SK predictors score synchronously');
    (out.bits[i] ??= []).push(bits);
  });
  return tokens;
}

describe('truth flows forward in the batches', () => {
  it('scoring every batch after the generator has drained gives the same bits as scoring each batch as it is drawn', async () => {
    // In step: each batch scored as soon as it is drawn (as the synchronous pipeline does).
    const live = await fineTuningRun();
    const inStep: Scored = { trueBits: [], bits: [] };
    {
      const tokenizer = new SlotWordTokenizer(live.source);
      const predictors = predictorsOf(live.source);
      for (let step = live.batches.next(); !step.done; step = live.batches.next()) score(tokenizer, predictors, step.value, inStep);
    }
    // Delayed: the generator drained first (φ switched, injection started), then every batch scored.
    const lagging = await fineTuningRun();
    const drawn: DocumentBatch[] = [];
    for (let step = lagging.batches.next(); !step.done; step = lagging.batches.next()) drawn.push(step.value);
    const delayed: Scored = { trueBits: [], bits: [] };
    {
      const tokenizer = new SlotWordTokenizer(lagging.source);
      const predictors = predictorsOf(lagging.source);
      for (const batch of drawn) score(tokenizer, predictors, batch, delayed);
    }
    expect(drawn.length).toBe(10);
    expect(delayed.trueBits).toEqual(inStep.trueBits);
    for (let i = 0; i < inStep.bits.length; i++) expect(delayed.bits[i], `predictor ${i}`).toEqual(inStep.bits[i]);
    // The oracle codes exactly the truth the batches carry, in both orders.
    expect(delayed.bits[0]).toEqual(delayed.trueBits);
  });
});
