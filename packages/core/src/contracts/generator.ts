import type { DocumentBatch } from '../records/document-batch.ts';

/**
 * A source of documents. Pull-driven: the runner asks for the next batch only when downstream is ready,
 * so a generator never floods memory however fast it is.
 */
export interface Generator {
  /** Batches in order; the iterator may be sync or async. */
  batches(): Iterator<DocumentBatch> | AsyncIterator<DocumentBatch>;
  /**
   * `documents` further documents from the same source, after the training documents: the held-out set of
   * the evaluation phase (`pipeline.evaluation`). Their `first` index continues the training numbering.
   */
  heldOut?(documents: number): Iterator<DocumentBatch> | AsyncIterator<DocumentBatch>;
  /** Documents this generator will emit, when known up front (for progress). */
  readonly expectedDocuments?: number;
  /** Statistics after the run (distinct elements, singleton fraction, true entropy, …), shown in the summary. */
  statistics?(): Record<string, number>;
  /** Releases files or handles; called once, on success and on failure. */
  close?(): Promise<void> | void;
}
