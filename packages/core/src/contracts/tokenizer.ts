import type { DocumentBatch } from '../records/document-batch.ts';
import type { TokenBatch } from '../records/token-batch.ts';

/** Turns documents into tokens with slot labels and offsets. Deterministic and stateless between batches. */
export interface Tokenizer {
  /** Token ids are in [0, vocabularySize). */
  readonly vocabularySize: number;
  tokenize(documents: DocumentBatch): TokenBatch;
  /** Inverse of tokenize for one document's ids: detokenize(tokenize(x)) === x. */
  detokenize?(ids: ArrayLike<number>): string;
  /** The token's text, for reports and LLM alignment. */
  tokenText?(id: number): string;
}
