import { resolve } from 'node:path';
import { defineStage, KolmoError, writeFileAtomic, type Predictor, type Sink, type SinkOpening, type SinkRecord, type StageContext } from '@kolmo/core';
import { attributeNames } from '../biography/attribute-catalog.ts';
import { qaProbes, type QaProbe, type QaProbeSet } from '../qa-probes.ts';
import { syntaxKnowledgeSourceOf } from '../syntax-knowledge-generator.ts';
import { type SyntaxKnowledgeSource } from '../syntax-knowledge-source.ts';
import { z } from 'zod';
import { pointColumns, arrowPathOf, writeAnalysisTable, type AnalysisRow, increasingSteps, binColumns, predictorSelection } from '@kolmo/analysis';
import { answerByBits, answerProbes, canAnswer, type QaAnswer } from './qa-scoring.ts';
import { qaRows, type QaMode } from './qa-tally.ts';

const config = z.object({
  path: z.string().min(1).default('qa-probes.json').describe('the per-bin table (JSON rows), relative to the run folder'),
  answers: z.boolean().default(true).describe('also write every probe with each predictor\'s answer to <name>.answers.json'),
  arrow: z.boolean().default(false).describe('also write an Arrow IPC copy of the table beside it (<name>.arrow)'),
  perBin: z.number().int().min(1).default(20).describe('individuals probed per frequency bin (at most; fewer where a bin has fewer)'),
  binsPerDecade: z.number().int().min(1).max(20).default(1).describe('log-spaced frequency bins per factor of 10 in the true weight π'),
  attributes: z.array(z.enum(attributeNames)).min(1).optional().describe('attributes asked about for each individual (default: all of the generator\'s)'),
  predictors: z.array(z.string().min(1)).min(1).optional().describe('names of the predictors to ask (default: all)'),
  at: increasingSteps
    .optional()
    .describe('also ask at these training steps (documents; at the end of the batch reaching each): the probes are drawn at the first and asked again at each later step and at the end — retention (theory §5 (c))'),
  method: z
    .enum(['auto', 'answer', 'bits'])
    .default('auto')
    .describe("auto: a predictor's own answer() where it has one (asked guessing and abstaining), else the candidate with the fewest bits under evaluate(); answer / bits force one way"),
});

export type QaProbesConfig = z.output<typeof config>;

interface AskedAnswers {
  readonly predictor: string;
  readonly mode: QaMode;
  readonly answers: QaAnswer[];
  readonly unknown?: boolean[];
}

/**
 * Hallucination (theory §5). At the end of the run (after training, and after the evaluation phase, which does
 * not teach the predictors), QA probes are drawn from the source over log-spaced frequency bins (`qaProbes`
 * of @kolmo/generator) and every predictor is asked; with `at`, the probes are drawn at the first of those
 * training steps and the same probes are asked again at each later one and at the end (`documents` column). A predictor with `answer(probe, { abstain })` is asked
 * twice: guessing (mode `guess`) and allowed to abstain (mode `abstain`); others by the bits of each candidate
 * completion (mode `bits`, `evaluate`, no sampling). Rows per predictor, mode, frequency bin and subset of
 * probes (`all`; `unknown`: individuals the predictor does not know, where it abstains when allowed; `unseen`
 * / `seen`: never / at least once in training): probes, correct, wrong, abstained, accuracy, hallucination
 * rate (answered and wrong), abstention rate, the chance level max_v G0(v), binomial standard errors.
 */
export const qaProbesSink = defineStage({
  kind: 'sink',
  type: 'qa-probes',
  description: 'hallucination: QA probes over frequency bins asked of every predictor (own answers, guessing or abstaining, or by candidate bits) (theory §5)',
  config,
  create: (options, context): Sink => {
    const source = syntaxKnowledgeSourceOf(context.upstream.generator);
    if (!source) throw new KolmoError('invalidSpec', 'qa-probes: needs the syntax-knowledge generator (QA probes are drawn from its source)');
    if (context.upstream.predictors) predictorSelection('qa-probes', [...context.upstream.predictors.keys()], options.predictors);
    return new QaProbesSink(options, context, source);
  },
});

class QaProbesSink implements Sink {
  private readonly options: QaProbesConfig;
  private readonly context: StageContext;
  private readonly source: SyntaxKnowledgeSource;
  private readonly path: string;
  private names: string[] = [];
  private trainCounts = new Int32Array(1024);
  private trainDocuments = 0;
  private set: QaProbeSet | undefined;
  private readonly rows: AnalysisRow[] = [];
  private readonly asked: { step: number; set: QaProbeSet; answers: AskedAnswers[]; skipped: { predictor: string; reason: string }[] }[] = [];
  private nextAsk = 0;
  private trainedElements = 0;

  constructor(options: QaProbesConfig, context: StageContext, source: SyntaxKnowledgeSource) {
    this.options = options;
    this.context = context;
    this.source = source;
    this.path = resolve(context.runDir, options.path);
  }

  open({ predictors }: SinkOpening): void {
    this.names = predictorSelection('qa-probes', predictors, this.options.predictors).names;
  }

  async write({ documents, phase }: SinkRecord): Promise<void> {
    if ((phase ?? 'train') !== 'train') return;
    const element = documents.columns.element;
    if (!(element instanceof Int32Array)) return;
    for (let i = 0; i < element.length; i++) {
      const e = element[i];
      if (e >= this.trainCounts.length) {
        const grown = new Int32Array(Math.max(e + 1, 2 * this.trainCounts.length));
        grown.set(this.trainCounts);
        this.trainCounts = grown;
      }
      this.trainCounts[e]++;
      if (e >= this.trainedElements) this.trainedElements = e + 1;
    }
    this.trainDocuments += element.length;
    const at = this.options.at ?? [];
    if (this.nextAsk < at.length && this.trainDocuments >= at[this.nextAsk]) {
      await this.ask();
      while (this.nextAsk < at.length && this.trainDocuments >= at[this.nextAsk]) this.nextAsk++;
    }
  }

  async close(): Promise<readonly string[]> {
    const last = this.asked[this.asked.length - 1];
    if (last?.step !== this.trainDocuments) await this.ask(true);
    const { options } = this;
    const written = await writeAnalysisTable(this.path, this.rows, { arrow: options.arrow });
    if (options.answers) {
      const final = this.asked[this.asked.length - 1];
      const set = final.set;
      const file = arrowPathOf(this.path).replace(/\.arrow$/, '.answers.json');
      const detail = {
        documents: this.trainDocuments,
        askedAt: this.asked.map((a) => a.step),
        attributes: set.attributes,
        bins: set.bins,
        skipped: final.skipped,
        probes: set.probes.map((probe, i) => ({
          element: probe.element,
          attribute: probe.attributeName,
          name: probe.name,
          bin: probe.bin,
          weight: probe.weight,
          trainCount: this.trainCount(probe),
          answer: probe.answerIndex,
          chance: 2 ** probe.log2ChanceCorrect,
          answers: Object.fromEntries(final.answers.map((entry) => [`${entry.predictor}/${entry.mode}`, entry.answers[i]])),
        })),
      };
      written.push(await writeFileAtomic(file, `${JSON.stringify(detail)}\n`));
    }
    return written;
  }

  /**
   * The source as far as training has reached: the generator runs a batch or two ahead of the sinks, so during
   * training the probes are drawn from the individuals of the documents written so far (ids count up in order
   * of first appearance, so those are ids below the largest seen + 1), which keeps the probe set reproducible.
   */
  private trainedView(): SyntaxKnowledgeSource {
    return Object.create(this.source, { elements: { value: this.trainedElements } }) as SyntaxKnowledgeSource;
  }

  private trainCount(probe: QaProbe): number {
    return probe.element < this.trainCounts.length ? this.trainCounts[probe.element] : 0;
  }

  /** Draws the probe set (once: later asks reuse it, so retention follows the same individuals) and asks every predictor now. */
  private async ask(final = false): Promise<void> {
    const { options, source } = this;
    const predictors = this.context.upstream.predictors ?? new Map<string, Predictor>();
    const attributes = options.attributes?.map((name) => {
      const index = source.attributeNames.indexOf(name);
      if (index < 0) throw new KolmoError('invalidSpec', `qa-probes.attributes: "${name}" is not one of the generator's attributes (${source.attributeNames.join(', ')})`);
      return index;
    });
    this.set ??= qaProbes(final ? source : this.trainedView(), { rng: this.context.rng('probes'), perBin: options.perBin, binsPerDecade: options.binsPerDecade, attributes });
    const set = this.set;
    const answers: AskedAnswers[] = [];
    const skipped: { predictor: string; reason: string }[] = [];
    for (const name of this.names.length ? this.names : [...predictors.keys()]) {
      const predictor = predictors.get(name);
      if (!predictor) continue;
      const useAnswer = options.method === 'answer' || (options.method === 'auto' && canAnswer(predictor));
      if (useAnswer) {
        if (!canAnswer(predictor)) {
          skipped.push({ predictor: name, reason: 'has no answer()' });
          continue;
        }
        const abstaining = answerProbes(predictor, set.probes, true);
        const unknown = abstaining.map((answer) => answer === null);
        answers.push({ predictor: name, mode: 'guess', answers: answerProbes(predictor, set.probes, false), unknown });
        answers.push({ predictor: name, mode: 'abstain', answers: abstaining, unknown });
      } else if (!predictor.evaluate || !this.context.upstream.tokenizer) {
        skipped.push({ predictor: name, reason: predictor.evaluate ? 'no tokenizer' : 'has neither answer() nor evaluate() (scoring candidates must not teach it)' });
      } else {
        try {
          answers.push({ predictor: name, mode: 'bits', answers: await answerByBits(predictor, this.context.upstream.tokenizer, source, set, name) });
        } catch (error) {
          // A predictor that cannot score free text (it needs structured documents) is left out, and the reason kept.
          if (!(error instanceof KolmoError && error.kind === 'input')) throw error;
          skipped.push({ predictor: name, reason: error.message });
        }
      }
    }
    const base = { ...pointColumns(this.context.point), documents: this.trainDocuments, probes_drawn_at: this.asked[0]?.step ?? this.trainDocuments };
    const individuals = new Map(set.bins.map((bin) => [bin.bin, bin.individuals]));
    for (const entry of answers) {
      for (const row of qaRows(set.probes, entry.answers, entry.unknown, (probe) => this.trainCount(probe))) {
        this.rows.push({ ...base, predictor: entry.predictor, mode: entry.mode, subset: row.subset, ...binColumns(row.bin, options.binsPerDecade), bin_individuals: individuals.get(row.bin) ?? 0, ...row.columns });
      }
    }
    this.asked.push({ step: this.trainDocuments, set, answers, skipped });
  }

  async abort(): Promise<void> {}
}
