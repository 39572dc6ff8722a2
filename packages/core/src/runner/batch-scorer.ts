import type { CoderSession } from '../contracts/coder.ts';
import type { Predictor } from '../contracts/predictor.ts';
import type { ScoredBatch } from '../records/scored-batch.ts';
import type { TokenBatch } from '../records/token-batch.ts';

export interface ScoringPredictor {
  readonly name: string;
  readonly predictor: Predictor;
  readonly session: CoderSession;
}

const ignore = () => undefined;

/** Puts an LLM predictor's backend token table on its scored batch. */
function withBackendTokens(predictor: Predictor, result: ScoredBatch | Promise<ScoredBatch>): ScoredBatch | Promise<ScoredBatch> {
  const attach = (scored: ScoredBatch): ScoredBatch => {
    const backendTokens = predictor.backendTokens!(scored.bits);
    return backendTokens ? { ...scored, backendTokens } : scored;
  };
  return result instanceof Promise ? result.then(attach) : attach(result);
}

/**
 * The scoring step of a run: one token batch through every predictor (its coder session while training, its
 * `evaluate` on held-out documents).
 *
 * Synchronous predictors are called at once and give their bits at once: today's path, no Promise made.
 * An asynchronous predictor that is not frozen learns from each batch, so batch k + 1 waits for batch k
 * (a chain per predictor). A frozen one (an LLM) is called at once for every batch the source lets through,
 * so up to `batchesInFlight` batches are scored at the same time; the runner awaits the results in document
 * order, and the pull source's credits bound how many exist at once.
 */
export class BatchScorer {
  private readonly predictors: readonly ScoringPredictor[];
  /** Per predictor, the last unfinished asynchronous call (only for predictors that are not frozen). */
  private readonly pending: (Promise<unknown> | undefined)[];

  constructor(predictors: readonly ScoringPredictor[]) {
    this.predictors = predictors;
    this.pending = predictors.map(() => undefined);
  }

  /** Batches to pull ahead: `base` (enough to keep a sink busy), or more when a frozen predictor asks for it. */
  batchesInFlight(base: number): number {
    let inFlight = base;
    for (const { predictor } of this.predictors) if (predictor.frozen) inFlight = Math.max(inFlight, base - 1 + (predictor.batchesInFlight ?? 1));
    return inFlight;
  }

  /** Every predictor's scores of `tokens`, in predictor order: an array now, or a Promise of one if any is async. */
  score(tokens: TokenBatch, phase: 'train' | 'test'): ScoredBatch[] | Promise<ScoredBatch[]> {
    let asynchronous = false;
    const scored = this.predictors.map(({ name, predictor, session }, i): ScoredBatch | Promise<ScoredBatch> => {
      const call = (): ScoredBatch | Promise<ScoredBatch> => {
        if (phase === 'train') return session.code(tokens);
        const bits = (predictor.evaluate ?? predictor.score).call(predictor, tokens);
        return bits instanceof Promise ? bits.then((resolved) => ({ predictor: name, tokens, bits: resolved })) : { predictor: name, tokens, bits };
      };
      const previous = this.pending[i];
      let result = previous && !predictor.frozen ? previous.then(call) : call();
      if (predictor.backendTokens) result = withBackendTokens(predictor, result);
      if (result instanceof Promise) {
        asynchronous = true;
        if (!predictor.frozen) this.pending[i] = result;
      }
      return result;
    });
    if (!asynchronous) return scored as ScoredBatch[];
    const all = Promise.all(scored);
    // Awaited later, in order; if the run stops first (an abort, another batch's failure) nobody awaits it.
    all.catch(ignore);
    return all;
  }
}
