import type { DocumentBatch } from '../records/document-batch.ts';
import type { ScoredBatch } from '../records/scored-batch.ts';
import type { TokenBatch } from '../records/token-batch.ts';

/** Everything one document batch produced: its documents, their tokens, and each predictor's scores. */
export interface SinkRecord {
  readonly documents: DocumentBatch;
  readonly tokens: TokenBatch;
  /** In the order of `SinkOpening.predictors`; empty for a pipeline without predictors (corpus export). */
  readonly scored: readonly ScoredBatch[];
  /** Training documents (scored and learned from; the default), or held-out documents of the evaluation phase. */
  readonly phase?: 'train' | 'test';
}

/** What a sink is told when a run starts, so it can lay out its schema up front. */
export interface SinkOpening {
  /** Predictor names in spec order. */
  readonly predictors: readonly string[];
}

/**
 * Receives records and writes them somewhere. Writes are awaited, which is what paces the pull-driven source.
 * `close` makes the output visible (atomic rename); `abort` removes everything partial.
 */
export interface Sink {
  open?(opening: SinkOpening): Promise<void> | void;
  write(record: SinkRecord): Promise<void> | void;
  /** Files this sink completed, for the run manifest. */
  close(): Promise<readonly string[]>;
  abort(): Promise<void>;
}
