import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadPlugins, Rng, Slot, type DocumentBatch, type StageContext } from '@kolmo/core';
import { PitmanYorPrior } from '../knowledge/pitman-yor-prior.ts';
import { syntaxKnowledgeSourceOf } from '../syntax-knowledge-generator.ts';
import { OraclePredictor } from '../predictors/oracle-predictor.ts';
import { SlotWordTokenizer } from '../slot-word-tokenizer.ts';
import { twoPhaseGenerator } from './two-phase-generator.ts';

function context(): StageContext {
  const root = new Rng(11);
  return {
    runDir: '.',
    specDir: '.',
    point: {},
    seed: 11,
    rng: (stream) => root.split(stream),
    signal: new AbortController().signal,
    log: { info() {}, warn() {} },
    create: (async () => new PitmanYorPrior(0.5, 1)) as unknown as StageContext['create'],
    upstream: {},
  };
}

async function phases(format: 'new' | 'same') {
  const generator = await twoPhaseGenerator.create(
    twoPhaseGenerator.config.parse({ documents: 600, fineTune: { documents: 400, format }, mode: 'all-attributes', templates: 8, batchDocuments: 128 }),
    context(),
  );
  const source = syntaxKnowledgeSourceOf(generator)!;
  const tokenizer = new SlotWordTokenizer(source);
  const batches: DocumentBatch[] = [];
  const iterator = generator.batches() as Iterator<DocumentBatch>;
  for (let step = iterator.next(); !step.done; step = iterator.next()) {
    batches.push(step.value);
    // The oracle's token bits follow the current φ: syntax tokens sum to the document's syntax bits.
    const tokens = tokenizer.tokenize(step.value);
    const syntax = new Float64Array(step.value.text.length);
    for (let i = 0; i < tokens.length; i++) if (tokens.slot[i] === Slot.syntax) syntax[tokens.doc[i] - step.value.first] += tokens.trueBits![i];
    syntax.forEach((bits, row) => expect(bits).toBeCloseTo((step.value.columns.syntaxBits as Float64Array)[row], 9));
  }
  return { generator, source, batches };
}

describe('two-phase generator', () => {
  it('uses templates 0–3 in pre-training and 4–7 in fine-tuning, about the same individuals, with the oracle bits of each phase', async () => {
    const { generator, source, batches } = await phases('new');
    expect(generator.expectedDocuments).toBe(1000);
    expect(batches.reduce((n, b) => n + b.text.length, 0)).toBe(1000);
    for (const batch of batches) {
      const phase = batch.columns.phase as Uint8Array;
      const template = batch.columns.template as Int32Array;
      const syntaxBits = batch.columns.syntaxBits as Float64Array;
      for (let row = 0; row < batch.text.length; row++) {
        expect(phase[row]).toBe(batch.first + row < 600 ? 1 : 2);
        let bits = 0;
        for (let a = 0; a < source.attributeCount; a++) {
          const t = source.templateOf(template[row], a);
          expect(phase[row] === 1 ? t < 4 : t >= 4).toBe(true);
          bits -= source.syntax.log2Probability(a, t);
        }
        if (phase[row] === 2) expect(syntaxBits[row]).toBeCloseTo(bits, 9);
      }
    }
    // Phase 2's φ: the drawn φ on templates 4–7, renormalised.
    for (let a = 0; a < source.attributeCount; a++) {
      const phi = source.syntax.probabilities(a);
      expect(phi.slice(0, 4).every((p) => p === 0)).toBe(true);
      expect(phi.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 12);
    }
    // Fine-tuning continues the same G: individuals of phase 1 come back in phase 2.
    const firstPhase = new Set<number>();
    let returning = 0;
    for (const batch of batches) {
      const element = batch.columns.element as Int32Array;
      for (let row = 0; row < batch.text.length; row++) {
        if (batch.first + row < 600) firstPhase.add(element[row]);
        else if (firstPhase.has(element[row])) returning++;
      }
    }
    expect(returning).toBeGreaterThan(200);
    expect(generator.statistics!()).toMatchObject({ documents: 1000, phase1Documents: 600, phase2Documents: 400 });
  });

  it('continues unchanged with format: same', async () => {
    const { source, batches } = await phases('same');
    const used = new Set<number>();
    for (const batch of batches) for (const code of batch.columns.template as Int32Array) for (let a = 0; a < source.attributeCount; a++) used.add(source.templateOf(code, a));
    expect(used.size).toBeGreaterThan(4);
  });

  it('injects designated new individuals in P2 at their rates, with oracle bits −log2(f/K) and −log2((1 − Σf) π_k) on the tokens', async () => {
    const inject = [
      { elements: 5, rate: 0.2 },
      { elements: 50, rate: 0.1 },
    ];
    const P1 = 600;
    const P2 = 3000;
    const generator = await twoPhaseGenerator.create(
      twoPhaseGenerator.config.parse({ documents: P1, fineTune: { documents: P2, format: 'same', inject }, mode: 'all-attributes', templates: 4, batchDocuments: 128 }),
      context(),
    );
    const source = syntaxKnowledgeSourceOf(generator)!;
    const tokenizer = new SlotWordTokenizer(source);
    const oracle = new OraclePredictor(source);
    const counts = [0, 0];
    const firstPhase = new Set<number>();
    const iterator = generator.batches() as Iterator<DocumentBatch>;
    for (let step = iterator.next(); !step.done; step = iterator.next()) {
      const batch = step.value;
      const { element, injected, frequency, knowledgeBits, syntaxBits, phase } = batch.columns as Record<string, Float64Array & Int32Array & Uint8Array>;
      const tokens = tokenizer.tokenize(batch);
      const bits = oracle.score(tokens);
      const sums = { knowledge: new Float64Array(batch.text.length), syntax: new Float64Array(batch.text.length) };
      for (let i = 0; i < tokens.length; i++) {
        expect(bits[i]).toBe(tokens.trueBits![i]); // the oracle codes with the mixture's weights
        const row = tokens.doc[i] - batch.first;
        if (tokens.slot[i] === Slot.syntax) sums.syntax[row] += tokens.trueBits![i];
        else sums.knowledge[row] += tokens.trueBits![i];
      }
      for (let row = 0; row < batch.text.length; row++) {
        expect(sums.knowledge[row]).toBeCloseTo(knowledgeBits[row], 9);
        expect(sums.syntax[row]).toBeCloseTo(syntaxBits[row], 9);
        expect(knowledgeBits[row]).toBe(-Math.log2(frequency[row]));
        if (phase[row] === 1) {
          expect(injected[row]).toBe(0);
          firstPhase.add(element[row]);
        } else if (injected[row] > 0) {
          const g = injected[row] - 1;
          counts[g]++;
          expect(frequency[row]).toBe(inject[g].rate / inject[g].elements);
          expect(firstPhase.has(element[row])).toBe(false);
        } else {
          expect(frequency[row]).toBe(source.injected!.remaining * source.knowledge.weight(element[row]));
        }
      }
    }
    inject.forEach(({ rate }, g) => expect(Math.abs(counts[g] - P2 * rate)).toBeLessThan(5 * Math.sqrt(P2 * rate * (1 - rate))));
    expect(generator.statistics!()).toMatchObject({ phase2Documents: P2, injectedDocuments: counts[0] + counts[1] });
    // Held-out documents come from the mixture as well.
    const held = (generator.heldOut!(400) as Iterator<DocumentBatch>).next().value as DocumentBatch;
    expect(Array.from(held.columns.injected as Int32Array).some((g) => g > 0)).toBe(true);
  });

  it('refuses injection rates above 1 in all, before generating anything', async () => {
    const options = twoPhaseGenerator.config.parse({ fineTune: { documents: 10, inject: [{ elements: 3, rate: 0.7 }, { elements: 3, rate: 0.4 }] } });
    await expect(twoPhaseGenerator.create(options, context())).rejects.toThrow(/generator\.fineTune\.inject: the rates sum to 1\.1/);
    expect(() => twoPhaseGenerator.config.parse({ fineTune: { documents: 10, inject: { elements: 0, rate: 0.1 } } })).toThrow();
  });

  it('refuses a new format with a single template', async () => {
    await expect(twoPhaseGenerator.create(twoPhaseGenerator.config.parse({ templates: 1, fineTune: { documents: 10 } }), context())).rejects.toThrow(/at least 2 templates/);
  });

  it('is registered with the other syntax-knowledge stages, as the CLI loads them', async () => {
    const registry = await loadPlugins([{ name: '@kolmo/syntax-knowledge', baseDir: fileURLToPath(new URL('../../../', import.meta.url)) }]);
    expect(registry.get('generator', 'two-phase')).toBeDefined();
    for (const type of ['acquisition', 'qa-probes']) expect(registry.get('sink', type)).toBeDefined();
  });
});
