import type { Columns } from './columns.ts';

/**
 * Documents flowing out of a generator. Rows are documents; `first` is the run-wide index of row 0,
 * so document ids stay stable however the stream is batched.
 *
 * Ground-truth columns a generator may attach (names are the contract, theory §2):
 * `element` (Int32, knowledge element id), `isNew` (Uint8), `template` (Int32), `attribute` (Int32),
 * `syntaxBits`, `knowledgeBits` (Float64, true code length under the true source), `frequency` (Float64).
 */
export interface DocumentBatch {
  readonly first: number;
  readonly text: readonly string[];
  readonly columns: Columns;
}

export function documentCount(batch: DocumentBatch): number {
  return batch.text.length;
}
