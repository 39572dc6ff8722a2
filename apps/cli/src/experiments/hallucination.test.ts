import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { loadSpec, runLoadedSpec } from '@kolmo/core';
import { builtinPlugins } from '../builtins.ts';
import { scaledSpec } from './scaled-spec.ts';

type Row = Record<string, number | string>;

/**
 * examples/hallucination.yaml scaled down (N = 2·10^4 training documents, the spec's 2·10^4 held out). theory §5: a predictor
 * that does not store individual X answers from G0, right with probability max_v G0(v) = 1/|V_a|; so over the
 * probes about individuals it does not know, its wrong-answer rate is 1 − 1/|V_a| within the binomial standard
 * error (tolerance 4 standard errors), and allowed to abstain it never answers wrong.
 */
describe('hallucination (examples/hallucination.yaml, scaled down)', () => {
  it('answers unknown individuals wrongly at 1 − max_v G0(v), and never wrongly when it may abstain', async () => {
    const { specFile, outDir, folder } = scaledSpec('hallucination.yaml', (spec) => {
      spec.pipeline.generator.documents = 20000;
      delete spec.report;
    });
    onTestFinished(() => rmSync(folder, { recursive: true, force: true }));
    await runLoadedSpec(await loadSpec({ specFile, builtins: builtinPlugins }), { outDir });
    const rows = (file: string) => JSON.parse(readFileSync(join(outDir, file), 'utf8')).rows as Row[];
    const predictors = ['bayes-optimal', 'C=3000', 'C=30000', 'memory-bounded M=200'];

    // One attribute (major, 64 values): chance 1/64.
    const major = rows('qa-probes-major.json');
    for (const predictor of predictors) {
      const unknown = major.filter((r) => r.predictor === predictor && r.mode === 'guess' && r.subset === 'unknown');
      const probes = unknown.reduce((s, r) => s + (r.probes as number), 0);
      const wrong = unknown.reduce((s, r) => s + (r.wrong as number), 0);
      expect(probes).toBeGreaterThan(50);
      for (const r of unknown) expect(r.chance).toBeCloseTo(1 / 64, 12);
      const expected = 1 - 1 / 64;
      const standardError = Math.sqrt((expected * (1 - expected)) / probes);
      if (process.env.KOLMO_PRINT) console.log(predictor, probes, wrong / probes, expected, standardError);
      expect(Math.abs(wrong / probes - expected)).toBeLessThanOrEqual(4 * standardError);
    }
    // All attributes: with abstention nothing is answered wrong; what is not known is abstained on, nothing else.
    const all = rows('qa-probes.json');
    for (const predictor of predictors) {
      const guess = all.filter((r) => r.predictor === predictor && r.mode === 'guess' && r.subset === 'all');
      const abstain = all.filter((r) => r.predictor === predictor && r.mode === 'abstain' && r.subset === 'all');
      expect(abstain.length).toBe(guess.length);
      for (const r of abstain) {
        expect(r.wrong).toBe(0);
        expect(r.hallucination_rate).toBe(0);
        const twin = guess.find((g) => g.frequency_bin === r.frequency_bin)!;
        const known = all.find((u) => u.predictor === predictor && u.mode === 'abstain' && u.subset === 'unknown' && u.frequency_bin === r.frequency_bin);
        expect(r.abstained).toBe(known?.probes ?? 0);
        expect(r.correct).toBe((twin.correct as number) - ((all.find((u) => u.predictor === predictor && u.mode === 'guess' && u.subset === 'unknown' && u.frequency_bin === r.frequency_bin)?.correct as number) ?? 0));
      }
    }
    // The Bayes-optimal learner stores everything it saw: only individuals never seen in training are unknown to it.
    for (const r of all.filter((r) => r.predictor === 'bayes-optimal' && r.mode === 'guess' && r.subset === 'seen')) expect(r.accuracy).toBe(1);
  });
});
