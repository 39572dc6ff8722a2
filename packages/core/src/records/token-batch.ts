import type { DocumentBatch } from './document-batch.ts';

/**
 * Tokens of whole documents (a token batch never splits a document). Rows are tokens.
 * `doc` is the run-wide document index; `start`/`end` are offsets into that document's text, in UTF-16
 * code units for word tokenizers and in UTF-8 bytes for the byte tokenizer (`offsetUnit` says which).
 * `trueBits`, when the generator knows the source, is each token's code length under the true source (the oracle).
 */
export interface TokenBatch {
  readonly length: number;
  readonly ids: Int32Array;
  readonly doc: Int32Array;
  readonly slot: Uint8Array;
  readonly start: Int32Array;
  readonly end: Int32Array;
  readonly offsetUnit: 'utf16' | 'utf8';
  readonly trueBits?: Float64Array;
  /** The documents these tokens came from, for ground truth joins. */
  readonly documents: DocumentBatch;
}
