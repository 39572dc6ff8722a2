import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadPlugins, Rng, Slot, type DocumentBatch, type StageContext } from '@kolmo/core';
import { PitmanYorPrior, syntaxKnowledgeSourceOf } from '@kolmo/generator';
import { SlotWordTokenizer } from '@kolmo/tokenizer';
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

  it('refuses a new format with a single template', async () => {
    await expect(twoPhaseGenerator.create(twoPhaseGenerator.config.parse({ templates: 1, fineTune: { documents: 10 } }), context())).rejects.toThrow(/at least 2 templates/);
  });

  it('is registered with the other analysis stages, as the CLI loads them', async () => {
    const registry = await loadPlugins([{ name: '@kolmo/analysis', baseDir: fileURLToPath(new URL('../../../', import.meta.url)) }]);
    expect(registry.get('generator', 'two-phase')).toBeDefined();
    for (const type of ['acquisition', 'qa-probes', 'learning-curve']) expect(registry.get('sink', type)).toBeDefined();
    for (const type of ['table-power-law', 'table-joint-law', 'structure-function']) expect(registry.get('fitter', type)).toBeDefined();
  });
});
