import type { BackendTokenTable } from './backend-tokens.ts';
import type { TokenBatch } from './token-batch.ts';

/** One predictor's code lengths for a token batch: `bits[i] = −log2 q(token i | everything before)`. */
export interface ScoredBatch {
  readonly predictor: string;
  readonly tokens: TokenBatch;
  readonly bits: Float64Array;
  /** Bytes a real coder emitted for this batch, if the coder is a real one. */
  readonly codedBytes?: number;
  /** For an LLM predictor: the backend's own tokens of these documents, as it scored them (arrow-ipc `records: backend-tokens`). */
  readonly backendTokens?: BackendTokenTable;
}
