import { resolve } from 'node:path';
import { defineStage, type Predictor, type Sink, type SinkOpening, type SinkRecord, type StageContext } from '@kolmo/core';
import { z } from 'zod';
import { pointColumns } from './point-columns.ts';
import { writeAnalysisTable, type AnalysisRow } from './analysis-table.ts';
import { CheckpointGrid, increasingSteps } from './checkpoint-grid.ts';
import { predictorSelection } from './predictor-selection.ts';

const config = z.object({
  path: z.string().min(1).default('learning-curve.json').describe('the table (JSON rows), relative to the run folder'),
  arrow: z.boolean().default(false).describe('also write an Arrow IPC copy beside it (<name>.arrow)'),
  start: z.number().int().min(1).default(100).describe('first checkpoint (training documents)'),
  perDecade: z.number().int().min(1).max(50).default(4).describe('checkpoints per factor of 10 in training documents'),
  at: increasingSteps.optional().describe('explicit checkpoints (training documents, increasing) instead of the log grid'),
  predictors: z.array(z.string().min(1)).min(1).optional().describe('names of the predictors to record (default: all with statistics())'),
  statistics: z.array(z.string().min(1)).min(1).optional().describe('statistics to keep (default: every numeric one)'),
});

export type LearningCurveConfig = z.output<typeof config>;

/**
 * A learning curve from one source (theory §4 "Measuring it well"): each predictor's `statistics()` — for the
 * syntax-knowledge predictors the exact expected test loss under the true source given their state
 * (`expected_excess_knowledge_bits`, `p_new`, …) — at checkpoints on a log grid of training documents.
 * A checkpoint is taken at the end of the first batch that reaches it, and `documents` is the exact number of
 * training documents seen then (make the generator's batches small for a fine grid at small N). One run gives
 * the whole curve on one draw of G, so its slope is free of the between-source scatter of a sweep over N.
 * Columns: documents, predictor, the statistics, and the sweep point's variables.
 */
export const learningCurveSink = defineStage({
  kind: 'sink',
  type: 'learning-curve',
  description: "each predictor's statistics (exact expected test loss, P(new), …) at log-spaced training checkpoints of one run: a learning curve on one source",
  config,
  create: (options, context): Sink => {
    if (context.upstream.predictors) predictorSelection('learning-curve', [...context.upstream.predictors.keys()], options.predictors);
    return new LearningCurveSink(options, context);
  },
});

class LearningCurveSink implements Sink {
  private readonly options: LearningCurveConfig;
  private readonly context: StageContext;
  private readonly rows: AnalysisRow[] = [];
  private readonly grid: CheckpointGrid;
  private names: string[] = [];
  private seen = 0;
  private next: number;
  private recordedAt = 0;

  constructor(options: LearningCurveConfig, context: StageContext) {
    this.options = options;
    this.context = context;
    this.grid = options.at ? CheckpointGrid.at(options.at) : new CheckpointGrid(options.start, options.perDecade, context.upstream.generator?.expectedDocuments ?? Infinity);
    this.next = this.grid.next(1);
  }

  open({ predictors }: SinkOpening): void {
    this.names = predictorSelection('learning-curve', predictors, this.options.predictors).names;
  }

  write({ documents, phase }: SinkRecord): void {
    if ((phase ?? 'train') !== 'train') return;
    this.seen += documents.text.length;
    if (this.seen >= this.next) {
      this.record();
      this.next = this.grid.next(this.seen + 1);
    }
  }

  async close(): Promise<readonly string[]> {
    if (this.seen > this.recordedAt) this.record();
    return writeAnalysisTable(resolve(this.context.runDir, this.options.path), this.rows, { arrow: this.options.arrow });
  }

  async abort(): Promise<void> {
    this.rows.length = 0;
  }

  private record(): void {
    const predictors = this.context.upstream.predictors ?? new Map<string, Predictor>();
    const keep = this.options.statistics;
    const base = { ...pointColumns(this.context.point), documents: this.seen };
    for (const name of this.names) {
      const statistics = predictors.get(name)?.statistics?.();
      if (!statistics) continue;
      const row: Record<string, number | string> = { ...base, predictor: name };
      for (const [key, value] of Object.entries(statistics)) if (typeof value === 'number' && (!keep || keep.includes(key))) row[key] = value;
      this.rows.push(row);
    }
    this.recordedAt = this.seen;
  }
}
