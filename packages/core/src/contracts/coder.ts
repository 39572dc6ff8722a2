import type { ScoredBatch } from '../records/scored-batch.ts';
import type { TokenBatch } from '../records/token-batch.ts';
import type { Predictor } from './predictor.ts';

/**
 * Turns a predictor's probabilities into code lengths (ideal) or bytes (a real coder). One session per
 * predictor per run; sessions are sequential.
 */
export interface Coder {
  open(name: string, predictor: Predictor): CoderSession;
}

export interface CoderSession {
  /** Asynchronous exactly when the predictor's `score` is (an ideal coder over an LLM backend). */
  code(tokens: TokenBatch): ScoredBatch | Promise<ScoredBatch>;
  /** Flushes the coder; returns the total coded size in bytes for real coders. */
  finish(): { codedBytes?: number };
}
