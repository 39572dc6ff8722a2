/**
 * A language model that scores given text (theory §3, "LLMs through log-prob backends"). The `llm` predictor
 * stage drives it: it tokenizes each document with the backend's own tokenizer, cuts windows that fit the
 * context, asks for the log-probability of every token given the tokens before it, and aligns the backend's
 * tokens onto the pipeline's tokens (and so slots) by character spans.
 *
 * Adapters (HTTP servers, in-process models) are plugins contributing this kind (`llm-backend`). A backend is
 * built once per process and configuration and shared by every run of a sweep (one connection pool, one
 * concurrency limit), so its methods must be safe to call concurrently.
 */
export interface LogProbBackend {
  /** Who this is, for caches and manifests. Never holds a secret. */
  readonly identity: BackendIdentity;
  readonly capabilities: BackendCapabilities;
  /**
   * The backend's tokens of each text, with character spans in UTF-16 code units of that text (JavaScript
   * string indices). Spans are in order, do not overlap, and together cover every character of the text.
   */
  tokenize(texts: readonly string[], signal?: AbortSignal): Promise<readonly TokenizedText[]>;
  /**
   * Scores token sequences: for each request, `logProbs[i − scoreFrom] = ln q(ids[i] | ids[0..i))` for every
   * `i` in `[scoreFrom, ids.length)`. `scoreFrom ≥ 1`: the first token of a request is context only (BOS, a
   * prefix, or the left context of a sliding window). Requests are independent; one call may batch them.
   */
  scoreTokens(requests: readonly ScoreRequest[], signal?: AbortSignal): Promise<readonly ScoredTokens[]>;
  /**
   * Optional, for backends with `capabilities.distribution === 'full'` (in-process models): the natural-log
   * next-token distribution after each prefix `ids[0..i]`, for `i` in `[scoreFrom − 1, ids.length)`, as rows of
   * `vocabularySize` values. This is what real (range) coding with an LLM needs.
   */
  distributions?(request: ScoreRequest, signal?: AbortSignal): Promise<Float32Array>;
  close?(): MaybePromise<void>;
}

export type MaybePromise<T> = T | Promise<T>;

export interface BackendIdentity {
  /**
   * Stable and unique for everything that changes the numbers: adapter, model, revision, and settings such as
   * the prefix or precision (e.g. `openai-compatible:my-model@rev3`). The cache is keyed by it.
   */
  readonly id: string;
  readonly model: string;
  /** A checkpoint, commit or file digest, where the backend knows one. */
  readonly revision?: string;
  /** Identifies the tokenizer (a name, or a digest of its vocabulary): equal ids mean equal token ids. */
  readonly tokenizer: string;
}

export interface BackendCapabilities {
  /** The most tokens one request may hold (the context window). */
  readonly maxContextTokens: number;
  /** Texts or requests one call should carry at most. */
  readonly maxBatchSize: number;
  /**
   * What comes back per position: the whole next-token distribution (`full`, in-process models), the scored
   * token plus the `topK` most likely (`top-k`), or the scored token only (`token`).
   */
  readonly distribution: 'full' | 'top-k' | 'token';
  readonly topK?: number;
  /** Same request, same numbers, bit for bit (single-threaded in-process inference; most servers are not). */
  readonly deterministic: boolean;
  /** The beginning-of-sequence token id, when the model has one; the stage uses it as the first token's context. */
  readonly bosTokenId?: number;
  readonly vocabularySize?: number;
}

export interface TokenizedText {
  readonly ids: Int32Array;
  /** Character spans in UTF-16 code units of the text: token i covers `text.slice(start[i], end[i])`. */
  readonly start: Int32Array;
  readonly end: Int32Array;
  /** The tokens' texts as the backend shows them, for the backend's own token table. */
  readonly pieces?: readonly string[];
}

export interface ScoreRequest {
  readonly ids: Int32Array;
  /** The first position whose log-probability is asked for (≥ 1); positions before it are context. */
  readonly scoreFrom: number;
}

export interface ScoredTokens {
  /** Natural-log probabilities of `ids[scoreFrom..]`: finite and ≤ 0 (a backend validates before returning). */
  readonly logProbs: Float64Array;
  /** With `distribution: 'top-k'`: per scored position, the k most likely ids and their log-probs (row-major, sorted). */
  readonly topIds?: Int32Array;
  readonly topLogProbs?: Float64Array;
}
