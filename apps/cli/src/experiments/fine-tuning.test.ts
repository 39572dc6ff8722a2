import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { loadSpec, runLoadedSpec } from '@kolmo/core';
import { builtinPlugins } from '../builtins.ts';
import { scaledSpec } from './scaled-spec.ts';

type Row = Record<string, number | string>;

/**
 * examples/fine-tuning.yaml scaled down: 10^4 pre-training documents on templates 0–3, 10^4 fine-tuning documents
 * on templates 4–7 about the same individuals. theory §5: (a) a new format costs syntax bits at first and is learned
 * again — fast by a learner that forgets (memory-bounded with decay), slowly by one whose counts remember the old
 * format (Bayes-optimal), while the knowledge excess does not jump; (c) under bounded memory rare old knowledge is
 * forgotten first, while the unbounded learner keeps everything it saw.
 */
describe('fine-tuning (examples/fine-tuning.yaml, scaled down)', () => {
  it('adapts to a new format and forgets rare old knowledge under bounded memory', async () => {
    const P1 = 10000;
    const { specFile, outDir, folder } = scaledSpec('fine-tuning.yaml', (spec) => {
      spec.pipeline.generator.documents = P1;
      spec.pipeline.generator.fineTune.documents = P1;
      spec.pipeline.generator.batchDocuments = 50;
      spec.pipeline.predictors = spec.pipeline.predictors.filter((p: Row) => p.type !== 'ngram');
      spec.pipeline.evaluation = { documents: 1000 };
      spec.pipeline.sinks = [
        { type: 'learning-curve', predictors: ['bayes-optimal', 'memory-bounded M=200'], at: [P1 - 200, P1 + 100, P1 + 5000, 2 * P1] },
        { type: 'qa-probes', at: [P1], perBin: 100, binsPerDecade: 1, predictors: ['bayes-optimal', 'memory-bounded M=200'] },
      ];
      delete spec.report;
    });
    onTestFinished(() => rmSync(folder, { recursive: true, force: true }));
    await runLoadedSpec(await loadSpec({ specFile, builtins: builtinPlugins }), { outDir });
    const rows = (file: string) => JSON.parse(readFileSync(join(outDir, file), 'utf8')).rows as Row[];
    const curve = rows('learning-curve.json');
    const at = (predictor: string, documents: number) => curve.find((r) => r.predictor === predictor && r.documents === documents)!;
    for (const predictor of ['bayes-optimal', 'memory-bounded M=200']) {
      const before = at(predictor, P1 - 200);
      const after = at(predictor, P1 + 100);
      // The new templates have had no counts: bits of syntax jump by orders of magnitude, knowledge does not.
      expect(after.expected_excess_syntax_bits as number).toBeGreaterThan(100 * (before.expected_excess_syntax_bits as number));
      expect(Math.abs((after.expected_excess_knowledge_bits as number) - (before.expected_excess_knowledge_bits as number))).toBeLessThan(0.5 * (before.expected_excess_knowledge_bits as number));
    }
    // After n2 = 5000 fine-tuning documents the syntax excess is what the weight left on the old templates costs
    // (all-attributes: one sentence per attribute A = 5; templatePrior a = 1/2; T = 8, 4 new): Bayes-optimal
    // counts give the new ones (n2 + 4a)/(P1 + n2 + 8a), so A · −log2 of that; counts decayed by (1 − d) per
    // document give them (1 − (1−d)^n2) against (1−d)^n2 (1 − (1−d)^P1) for the old. Plus a KT estimation
    // term of order (3/2)/(n ln 2) per attribute (< 0.01 bits here, more with decay's shorter memory).
    const A = 5;
    const a = 0.5;
    const n2 = 5000;
    const bayesTheory = A * -Math.log2((n2 + 4 * a) / (P1 + n2 + 8 * a));
    const bayes = at('bayes-optimal', P1 + n2).expected_excess_syntax_bits as number;
    expect(bayes).toBeGreaterThanOrEqual(bayesTheory);
    expect(bayes - bayesTheory).toBeLessThan(0.02);
    const d = 0.001;
    const fresh = (1 - (1 - d) ** n2) / d;
    const stale = ((1 - d) ** n2 * (1 - (1 - d) ** P1)) / d;
    const memoryTheory = A * -Math.log2((fresh + 4 * a) / (fresh + stale + 8 * a));
    const memory = at('memory-bounded M=200', P1 + n2).expected_excess_syntax_bits as number;
    if (process.env.KOLMO_PRINT) console.log({ bayes, bayesTheory, memory, memoryTheory });
    expect(memory).toBeGreaterThanOrEqual(memoryTheory);
    expect(memory - memoryTheory).toBeLessThan(0.05);

    // Retention of P1's individuals (probes drawn at the end of P1, asked again at the end of P2).
    const qa = rows('qa-probes.json').filter((r) => r.mode === 'guess' && r.subset === 'all');
    const accuracy = (predictor: string, documents: number, bins: (bin: number) => boolean) => {
      const chosen = qa.filter((r) => r.predictor === predictor && r.documents === documents && bins(r.frequency_bin as number));
      return chosen.reduce((s, r) => s + (r.correct as number), 0) / chosen.reduce((s, r) => s + (r.probes as number), 0);
    };
    for (const documents of [P1, 2 * P1]) expect(accuracy('bayes-optimal', documents, () => true)).toBe(1);
    const frequent = (bin: number) => bin <= 2;
    const rare = (bin: number) => bin >= 5;
    expect(accuracy('memory-bounded M=200', 2 * P1, frequent)).toBe(1);
    expect(accuracy('memory-bounded M=200', 2 * P1, rare)).toBeLessThan(accuracy('memory-bounded M=200', P1, rare));
    expect(accuracy('memory-bounded M=200', 2 * P1, rare)).toBeLessThan(0.1);
  });
});
