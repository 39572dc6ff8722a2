import { resolve } from 'node:path';
import { defineStage, KolmoError, type Sink, type SinkOpening, type SinkRecord, type StageContext } from '@kolmo/core';
import { syntaxKnowledgeSourceOf } from '../syntax-knowledge-generator.ts';
import { z } from 'zod';
import { AcquisitionTally } from './acquisition-tally.ts';
import { writeAnalysisTable, type AnalysisRow, CheckpointGrid, increasingSteps, frequencyBinOf, sumBySlot, type SlotSums, pointColumns, predictorSelection } from '@kolmo/analysis';
import { RecentDocuments } from './recent-documents.ts';

const config = z.object({
  path: z.string().min(1).default('acquisition.json').describe('the table (JSON rows), relative to the run folder'),
  arrow: z.boolean().default(false).describe('also write an Arrow IPC copy beside it (<name>.arrow)'),
  binsPerDecade: z.number().int().min(1).max(20).default(2).describe('log-spaced frequency bins per factor of 10 in the true weight π'),
  threshold: z.number().min(0).default(1).describe('a document is "acquired" when the predictor\'s knowledge-slot bits are within this many bits of the oracle\'s'),
  predictors: z.array(z.string().min(1)).min(1).optional().describe('names of the predictors to analyse (default: all)'),
  checkpoints: z
    .object({
      start: z.number().int().min(1).default(100).describe('first checkpoint (training documents)'),
      perDecade: z.number().int().min(1).max(50).default(4).describe('checkpoints per factor of 10 in training documents'),
      window: z.number().int().min(1).optional().describe('count only the last W training documents before each checkpoint, since the previous one (default: all since the previous checkpoint)'),
      at: increasingSteps.optional().describe('explicit checkpoints (training documents, increasing) instead of the log grid, e.g. dense around a fine-tuning boundary'),
    })
    .optional()
    .describe('also summarise the training documents (scored before they are learned) at checkpoints on a log grid: acquisition vs training step'),
});

export type AcquisitionConfig = z.output<typeof config>;

/**
 * Knowledge acquisition by frequency (theory §5). Over the held-out (test) documents, and optionally over windows
 * of training documents ending at log-spaced checkpoints, per frequency bin of the true weight π of the
 * document's element and per predictor: documents, mean knowledge-slot bits, the oracle's, the fraction
 * "acquired" (within `threshold` bits of the oracle), mean syntax-slot bits. Training documents are scored
 * before the predictor learns them, so a checkpoint row shows what the model knew at that step.
 * Columns: phase, documents (training documents seen: N for test rows, the checkpoint for train rows),
 * predictor, frequency_bin/low/high, frequency (bin centre), mean_frequency, expected_exposures (documents ×
 * mean frequency), bin_documents, knowledge_bits, oracle_knowledge_bits, excess_knowledge_bits,
 * fraction_acquired, fraction_recalled (value-slot bits within `threshold` of the oracle's: the facts are
 * known), syntax_bits, oracle_syntax_bits, excess_syntax_bits, and the sweep point's variables.
 * Documents with a `phase` column (two-phase generator) add `phase_documents`: training documents since the
 * current phase began. Documents of injected individuals (`injected` column > 0, theory §5 (b)) are summarised
 * per group instead of per bin (`scope: injected`, `injected` = group number, `frequency` = f/K), with
 * expected_exposures = phase_documents × f/K; `scope: all` rows cover every document.
 */
export const acquisitionSink = defineStage({
  kind: 'sink',
  type: 'acquisition',
  description: 'knowledge acquisition per frequency bin and predictor (held-out documents, optional training checkpoints): bits by slot, fraction acquired (theory §5)',
  config,
  create: (options, context): Sink => new AcquisitionSink(options, context),
});

class AcquisitionSink implements Sink {
  private readonly options: AcquisitionConfig;
  private readonly context: StageContext;
  private readonly path: string;
  private readonly base: Record<string, number | string>;
  private readonly rows: AnalysisRow[] = [];
  private selected: { names: string[]; indices: number[] } | undefined;
  private train: AcquisitionTally | undefined;
  private test: AcquisitionTally | undefined;
  private grid: CheckpointGrid | undefined;
  private checkpoint = 0;
  private trainSeen = 0;
  private readonly empiricalFrequency: boolean;
  private sums: SlotSums[] = [];
  private recent: RecentDocuments | undefined;
  private flushedAt = 0;
  private oracle: SlotSums | undefined;
  /** The training phase (documents' `phase` column) and the training documents before it began. */
  private currentPhase = -1;
  private phaseStart = 0;

  constructor(options: AcquisitionConfig, context: StageContext) {
    this.options = options;
    this.context = context;
    this.path = resolve(context.runDir, options.path);
    this.base = pointColumns(context.point);
    const source = syntaxKnowledgeSourceOf(context.upstream.generator);
    // A prior without true weights puts the running count in `frequency`: use the empirical rate instead.
    this.empiricalFrequency = source ? !source.knowledge.hasTrueWeights : false;
    if (context.upstream.predictors) this.selected = predictorSelection('acquisition', [...context.upstream.predictors.keys()], options.predictors);
  }

  open({ predictors }: SinkOpening): void {
    this.selected = predictorSelection('acquisition', predictors, this.options.predictors);
    const names = this.selected.names;
    this.train = this.options.checkpoints ? new AcquisitionTally(names, this.options.binsPerDecade, this.options.threshold) : undefined;
    this.test = new AcquisitionTally(names, this.options.binsPerDecade, this.options.threshold);
    const checkpoints = this.options.checkpoints;
    if (checkpoints?.window) this.recent = new RecentDocuments(checkpoints.window, names.length);
    if (checkpoints) {
      this.grid = checkpoints.at
        ? CheckpointGrid.at(checkpoints.at)
        : new CheckpointGrid(checkpoints.start, checkpoints.perDecade, this.context.upstream.generator?.expectedDocuments ?? Infinity);
    }
  }

  write(record: SinkRecord): void {
    if (!this.selected) this.open({ predictors: record.scored.map((s) => s.predictor) });
    const phase = record.phase ?? 'train';
    if (phase === 'train' && !this.train) {
      this.trainSeen += record.documents.text.length;
      return;
    }
    if (phase === 'test') this.flushTraining();
    const { documents, tokens, scored } = record;
    const count = documents.text.length;
    if (count === 0) return;
    const frequency = documents.columns.frequency;
    if (!(frequency instanceof Float64Array)) {
      throw new KolmoError('input', 'acquisition: documents carry no `frequency` column (the true weight π of their element); use the syntax-knowledge generator');
    }
    if (!tokens.trueBits) throw new KolmoError('input', 'acquisition: tokens carry no oracle bits (trueBits); use the syntax-knowledge generator and the slot-word tokenizer');
    const { indices } = this.selected!;
    this.oracle = sumBySlot(tokens, tokens.trueBits, documents.first, count, this.oracle);
    indices.forEach((index, p) => (this.sums[p] = sumBySlot(tokens, scored[index].bits, documents.first, count, this.sums[p])));
    const knowledge = new Float64Array(indices.length);
    const syntax = new Float64Array(indices.length);
    const value = new Float64Array(indices.length);
    const injected = documents.columns.injected instanceof Int32Array ? documents.columns.injected : undefined;
    const phases = documents.columns.phase instanceof Uint8Array ? documents.columns.phase : undefined;
    const binsPerDecade = this.options.binsPerDecade;
    const oracle = this.oracle;
    for (let row = 0; row < count; row++) {
      const index = documents.first + row;
      const f = this.empiricalFrequency ? frequency[row] / (index + 1) : frequency[row];
      for (let p = 0; p < indices.length; p++) {
        knowledge[p] = this.sums[p].knowledge[row];
        syntax[p] = this.sums[p].syntax[row];
        value[p] = this.sums[p].value[row];
      }
      // An injected individual's documents go to its group (a negative key), the others to their frequency bin.
      const group = injected ? injected[row] : 0;
      const bin = group > 0 ? -group : frequencyBinOf(f, binsPerDecade);
      if (phase === 'test') {
        this.test!.add(bin, f, oracle.knowledge[row], oracle.syntax[row], knowledge, syntax, oracle.value[row], value);
        continue;
      }
      const step = ++this.trainSeen;
      const checkpoint = this.grid!.next(step);
      if (checkpoint !== this.checkpoint) {
        this.flushCheckpoint();
        this.checkpoint = checkpoint;
      }
      if (phases && phases[row] !== this.currentPhase) {
        this.currentPhase = phases[row];
        this.phaseStart = index;
      }
      if (this.recent) this.recent.add(bin, f, oracle.knowledge[row], oracle.syntax[row], knowledge, syntax, oracle.value[row], value);
      else this.train!.add(bin, f, oracle.knowledge[row], oracle.syntax[row], knowledge, syntax, oracle.value[row], value);
    }
  }

  /** Training documents since the current phase began, as a column (only for documents with phases). */
  private phaseColumns(documents: number): Record<string, number> {
    return this.currentPhase >= 0 ? { phase_documents: documents - this.phaseStart } : {};
  }

  async close(): Promise<readonly string[]> {
    this.flushTraining();
    if (this.test && this.test.documents > 0) {
      const phaseDocuments = this.trainSeen - this.phaseStart;
      this.rows.push(...this.test.rows({ ...this.base, phase: 'test', documents: this.trainSeen, ...this.phaseColumns(this.trainSeen), test_documents: this.test.documents }, this.trainSeen, phaseDocuments));
    }
    return writeAnalysisTable(this.path, this.rows, { arrow: this.options.arrow });
  }

  async abort(): Promise<void> {
    this.rows.length = 0;
  }

  /** The training phase ended (or the run): the last window, labelled by the step actually reached. */
  private flushTraining(): void {
    if (!this.train || this.trainSeen === this.flushedAt) return;
    this.flushedAt = this.trainSeen;
    this.checkpoint = Math.min(this.checkpoint, this.trainSeen);
    this.flushCheckpoint();
  }

  private flushCheckpoint(): void {
    const tally = this.train!;
    if (this.recent) {
      this.recent.addTo(tally);
      this.recent = new RecentDocuments(this.options.checkpoints!.window!, this.selected!.names.length);
    }
    if (tally.documents > 0) {
      const base = { ...this.base, phase: 'train', documents: this.checkpoint, ...this.phaseColumns(this.checkpoint), window_documents: tally.documents };
      this.rows.push(...tally.rows(base, this.checkpoint, this.checkpoint - this.phaseStart));
    }
    tally.reset();
  }
}
