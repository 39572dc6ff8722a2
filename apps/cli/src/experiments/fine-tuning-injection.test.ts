import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { loadSpec, Rng, runLoadedSpec, Slot, type DocumentBatch, type StageContext } from '@kolmo/core';
import { twoPhaseGenerator, PitmanYorPrior, syntaxKnowledgeSourceOf, BayesOptimalPredictor, SlotWordTokenizer } from '@kolmo/syntax-knowledge';
import { builtinPlugins } from '../builtins.ts';
import { scaledSpec } from './scaled-spec.ts';

type Row = Record<string, number | string>;

/**
 * examples/fine-tuning-injection.yaml scaled down: 10^4 pre-training documents from G, then 10^4 fine-tuning
 * documents of which a share f = 0.15 each is about one of K = 15, 150, 1500 designated new individuals (true
 * frequencies f/K = 10^−2, 10^−3, 10^−4; larger shares than the example's, for more documents per window). theory §5 (b): new knowledge needs repeated exposure, like pre-training.
 * The Bayes-optimal learner knows an individual's facts from its second document on, so the fraction of a P2
 * window's documents it recalls is exactly the chance of an earlier exposure; higher rates are acquired earlier
 * by both learners; and each injected document costs it exactly the Pitman–Yor predictive of its count.
 */
describe('fine-tuning with injected individuals (examples/fine-tuning-injection.yaml, scaled down)', () => {
  it('acquires injected individuals after about one exposure (Bayes-optimal), the higher rates first', async () => {
    const P1 = 10000;
    const P2 = 10000;
    const inject = [
      { elements: 15, rate: 0.15 },
      { elements: 150, rate: 0.15 },
      { elements: 1500, rate: 0.15 },
    ];
    const steps = [100, 300, 1000, 3000, 10000];
    const { specFile, outDir, folder } = scaledSpec('fine-tuning-injection.yaml', (spec) => {
      spec.pipeline.generator.documents = P1;
      spec.pipeline.generator.fineTune.documents = P2;
      spec.pipeline.generator.fineTune.inject = inject;
      spec.pipeline.evaluation = { documents: 0 };
      spec.pipeline.sinks = [
        { type: 'acquisition', binsPerDecade: 1, predictors: ['bayes-optimal', 'memory-bounded M=200'], checkpoints: { at: [P1, ...steps.map((n) => P1 + n)] } },
      ];
      delete spec.report;
    });
    onTestFinished(() => rmSync(folder, { recursive: true, force: true }));
    await runLoadedSpec(await loadSpec({ specFile, builtins: builtinPlugins }), { outDir });
    const rows = JSON.parse(readFileSync(join(outDir, 'acquisition.json'), 'utf8')).rows as Row[];
    const group = (predictor: string, g: number, n: number) => rows.find((r) => r.predictor === predictor && r.scope === 'injected' && r.injected === g + 1 && r.phase_documents === n)!;

    // A P2 document at step n about a given individual (probability φ = f/K) follows n − 1 independent documents,
    // none about it with probability (1 − φ)^(n−1); group membership is independent of n, so a window's expected
    // fraction recalled is that chance of an earlier exposure, averaged over the window's steps. Tolerance: 5
    // binomial standard errors, plus 2 documents for the discreteness of counts near 0 or all.
    let previous = 0;
    for (const n of steps) {
      inject.forEach(({ elements, rate }, g) => {
        const phi = rate / elements;
        let theory = 0;
        for (let step = previous + 1; step <= n; step++) theory += 1 - (1 - phi) ** (step - 1);
        theory /= n - previous;
        const row = group('bayes-optimal', g, n);
        const documents = row.bin_documents as number;
        expect(row.frequency).toBe(phi);
        expect(row.expected_exposures).toBeCloseTo(n * phi, 12);
        const tolerance = 5 * Math.sqrt((theory * (1 - theory)) / documents) + 2 / documents;
        if (process.env.KOLMO_PRINT) console.log({ n, phi, documents, recalled: row.fraction_recalled, theory, tolerance });
        expect(Math.abs((row.fraction_recalled as number) - theory)).toBeLessThanOrEqual(tolerance);
      });
      previous = n;
    }

    // Higher rates are acquired earlier, by both learners: in the windows ending at P2 steps 1000 and 3000 the
    // fraction recalled falls from f/K = 10^−2 to 10^−3 to 10^−4 by more than 4 standard errors of each difference
    // (for Bayes-optimal the theory above puts each difference 7–20 standard errors apart).
    for (const predictor of ['bayes-optimal', 'memory-bounded M=200']) {
      for (const n of [1000, 3000]) {
        for (let g = 0; g + 1 < inject.length; g++) {
          const [high, low] = [group(predictor, g, n), group(predictor, g + 1, n)];
          const p = (row: Row) => row.fraction_recalled as number;
          const se = Math.sqrt((p(high) * (1 - p(high))) / (high.bin_documents as number) + (p(low) * (1 - p(low))) / (low.bin_documents as number));
          if (process.env.KOLMO_PRINT) console.log({ predictor, n, g, high: p(high), low: p(low), se });
          expect(p(high) - p(low)).toBeGreaterThan(4 * se);
        }
      }
    }
    // The learner that forgets (memory-bounded, M = 200, decay 10^−3: a memory of ~10^3 documents) weighs P2
    // alone and codes the frequent group near the oracle's −log2(f/K), while the stationary Bayes learner's P1
    // counts dilute the new frequency: (m − α)/(N1 + n + β) ≥ φ/2 needs m ≥ 55 earlier exposures for φ = 10^−2 at
    // n ∈ (1000, 3000], where m has mean ≤ 30 (a Poisson tail below 10^−6), so it acquires none of them yet. And the
    // forgetting learner loses the rarest individuals between exposures: over P2 steps (3000, 10000] it recalls
    // far fewer of them than the Bayes learner (4 standard errors of the difference).
    const share = (predictor: string, g: number, n: number, column: string) => {
      const row = group(predictor, g, n);
      const p = row[column] as number;
      return { p, variance: (p * (1 - p)) / (row.bin_documents as number) };
    };
    const forgetting = share('memory-bounded M=200', 0, 3000, 'fraction_acquired');
    expect(share('bayes-optimal', 0, 3000, 'fraction_acquired').p).toBe(0);
    expect(forgetting.p).toBeGreaterThan(4 * Math.sqrt(forgetting.variance));
    const [keeps, loses] = [share('bayes-optimal', 2, 10000, 'fraction_recalled'), share('memory-bounded M=200', 2, 10000, 'fraction_recalled')];
    if (process.env.KOLMO_PRINT) console.log({ forgetting, keeps, loses });
    expect(keeps.p - loses.p).toBeGreaterThan(4 * Math.sqrt(keeps.variance + loses.variance));
  }, 60_000);

  it('codes an injected individual at the Pitman–Yor predictive of its count: the new-element price first, then (m − α)/(n + β)', async () => {
    const [alpha, beta] = [0.5, 1];
    const root = new Rng(5);
    const context: StageContext = {
      runDir: '.',
      specDir: '.',
      point: {},
      seed: 5,
      rng: (stream) => root.split(stream),
      signal: new AbortController().signal,
      log: { info() {}, warn() {} },
      create: (async () => new PitmanYorPrior(alpha, beta)) as unknown as StageContext['create'],
      upstream: {},
    };
    const P1 = 2000;
    const inject = [
      { elements: 4, rate: 0.1 },
      { elements: 100, rate: 0.1 },
    ];
    const generator = await twoPhaseGenerator.create(
      twoPhaseGenerator.config.parse({ documents: P1, fineTune: { documents: 3000, format: 'same', inject }, mode: 'all-attributes', batchDocuments: 100, truncation: { maxAtoms: 65536 } }),
      context,
    );
    const source = syntaxKnowledgeSourceOf(generator)!;
    const tokenizer = new SlotWordTokenizer(source);
    const bayes = new BayesOptimalPredictor(source);
    const g0Values = source.values.reduce((bits, list) => bits + Math.log2(list.length), 0);
    const counts = new Map<number, number>();
    const byExposure: number[][] = [];
    let documents = 0;
    let checked = 0;
    const iterator = generator.batches() as Iterator<DocumentBatch>;
    for (let step = iterator.next(); !step.done; step = iterator.next()) {
      const batch = step.value;
      const tokens = tokenizer.tokenize(batch);
      const bits = bayes.score(tokens);
      const knowledge = new Float64Array(batch.text.length);
      for (let i = 0; i < tokens.length; i++) if (tokens.slot[i] === Slot.name || tokens.slot[i] === Slot.value) knowledge[tokens.doc[i] - batch.first] += bits[i];
      const element = batch.columns.element as Int32Array;
      const injected = batch.columns.injected as Int32Array;
      for (let row = 0; row < batch.text.length; row++) {
        const e = element[row];
        const m = counts.get(e) ?? 0;
        if (injected[row] > 0) {
          // Before this document: n documents, K distinct individuals, this one seen m times.
          const n = documents;
          const K = counts.size;
          const expected = m === 0 ? -Math.log2((beta + alpha * K) / (n + beta)) + Math.log2(source.nameCount - K) + g0Values : -Math.log2((m - alpha) / (n + beta));
          expect(Math.abs(knowledge[row] - expected)).toBeLessThan(1e-9 * expected);
          checked++;
          if (injected[row] === 1) (byExposure[m] ??= []).push(knowledge[row]);
        }
        counts.set(e, m + 1);
        documents++;
      }
    }
    expect(checked).toBeGreaterThan(500);
    // The frequent group's bits drop as exposures accumulate: first exposures cost the new-element price
    // (≈ 80 bits), the second ≈ log2(n/0.5), the fiftieth ≈ log2(n/50).
    const mean = (values: number[]) => values.reduce((s, x) => s + x, 0) / values.length;
    expect(mean(byExposure[0])).toBeGreaterThan(60);
    expect(mean(byExposure[1])).toBeLessThan(mean(byExposure[0]) - 40);
    expect(mean(byExposure[50])).toBeLessThan(mean(byExposure[1]) - 4);
  }, 60_000);
});
