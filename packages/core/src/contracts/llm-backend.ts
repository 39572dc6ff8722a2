/**
 * A language model that scores given text: per-token log-probabilities (natural log) with each token's
 * character span in the text, so tokens can be aligned to slots. The first token has no context: backends
 * prepend BOS (or a fixed token) so that every character of the text is scored.
 */
export interface LogProbBackend {
  readonly name: string;
  scoreText(text: string, signal?: AbortSignal): Promise<TokenLogProbs>;
  close?(): Promise<void> | void;
}

export interface TokenLogProbs {
  readonly logProbs: Float64Array;
  readonly start: Int32Array;
  readonly end: Int32Array;
}
