import type { BackendTokenTable } from '../records/backend-tokens.ts';
import type { TokenBatch } from '../records/token-batch.ts';
import type { SymbolCodec } from './entropy-coder.ts';

/** Bits now, or later: in-process models answer synchronously, LLM backends over a network asynchronously. */
export type MaybeAsyncBits = Float64Array | Promise<Float64Array>;

/**
 * A sequential probability model over token ids. `score` returns `−log2 q(x_t | x_<t)` for every token of the
 * batch and then updates on them: batches must arrive in order (order is part of the contract).
 *
 * `score` and `evaluate` may return a Promise. The runner then waits for batch k before it scores batch k + 1
 * with the same predictor, unless the predictor is `frozen`.
 */
export interface Predictor {
  score(tokens: TokenBatch): MaybeAsyncBits;
  /**
   * Its scores do not depend on earlier batches (a trained LLM): the runner may score up to `batchesInFlight`
   * batches at once with it, and still delivers the results in document order.
   */
  readonly frozen?: boolean;
  /** For a frozen predictor: how many token batches may be scored at once (default 1). */
  readonly batchesInFlight?: number;
  /**
   * A fresh codec with the same model from its initial state, for real (range) coding.
   * Predictors that cannot give a full next-token distribution (e.g. top-k LLM log-probs) leave it out.
   * `totalBits` is the precision P asked for (frequency totals 2^P, theory §8); a codec that quantizes its own
   * way (e.g. binary decisions) may ignore it, as long as its cost over ideal stays within §8.
   */
  codec?(totalBits?: number): SymbolCodec;
  /**
   * Scores held-out tokens with the model as trained so far, without learning from them (the evaluation
   * phase: test loss after N training documents). Without it, held-out tokens are scored by `score`.
   */
  evaluate?(tokens: TokenBatch): MaybeAsyncBits;
  /**
   * For a predictor over an LLM backend: the backend's own token table of the batch whose bits are `bits` (the
   * array `score`/`evaluate` returned), handed over once; the runner puts it on the batch's `ScoredBatch`.
   */
  backendTokens?(bits: Float64Array): BackendTokenTable | undefined;
  /** Statistics after the run (stored elements, evictions, exact expected test loss, …). */
  statistics?(): Record<string, number>;
  close?(): Promise<void> | void;
}
