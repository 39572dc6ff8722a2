import type { MaybePromise } from '@kolmo/core';

/**
 * A causal language model that turns token ids into next-token logits, in process (ONNX Runtime, llama.cpp).
 * `logits(sequences)` gives, per sequence, `ids.length` rows of `vocabularySize` logits: row i scores the token
 * after `ids[0..i]`. Calls are never concurrent (the backend queues them); one call may carry several sequences.
 * `firstRows[s]`, when given, is the first row the caller reads of sequence s: an engine may leave rows before
 * it unset (llama.cpp then skips computing those distributions).
 */
export interface LogitsEngine {
  readonly vocabularySize: number;
  logits(sequences: readonly Int32Array[], signal?: AbortSignal, firstRows?: readonly number[]): Promise<readonly Float32Array[]>;
  close?(): MaybePromise<void>;
}
