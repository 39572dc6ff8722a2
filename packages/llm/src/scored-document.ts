/**
 * One document as the backend scored it: the backend's own token table. Token `i` covers UTF-16 units
 * `[start[i], end[i])` of the text and has natural-log probability `logProbs[i]` given everything before it
 * (the context and the document's earlier tokens). With a top-k backend, `topIds`/`topLogProbs` hold k
 * entries per token, row-major, most likely first.
 */
export interface ScoredDocument {
  readonly ids: Int32Array;
  readonly start: Int32Array;
  readonly end: Int32Array;
  readonly logProbs: Float64Array;
  readonly pieces?: readonly string[];
  readonly topIds?: Int32Array;
  readonly topLogProbs?: Float64Array;
}
