import { KolmoError, type DocumentBatch, type Predictor, type TokenBatch } from '@kolmo/core';
import type { SyntaxKnowledgeSource } from '../syntax-knowledge-source.ts';
import { DocumentLayout, DocumentParts } from './document-layout.ts';

/** Whether a document is coded on the way through training (predict, then learn) or held out (state frozen). */
export type CodingPhase = 'train' | 'test';

/**
 * The common walk of the syntax-knowledge predictors: documents of a token batch in order, each located by
 * its structure (DocumentLayout) and coded by `codeDocument`, which writes −log2 q onto the tokens the
 * oracle's bits sit on (every other token gets 0: given the structure, they are determined).
 */
export abstract class StructuredPredictor implements Predictor {
  readonly source: SyntaxKnowledgeSource;
  protected readonly layout: DocumentLayout;
  private readonly parts: DocumentParts;
  private readonly label: string;

  constructor(source: SyntaxKnowledgeSource, label: string) {
    this.source = source;
    this.label = label;
    this.layout = new DocumentLayout(source);
    this.parts = new DocumentParts(source.attributeCount);
  }

  score(tokens: TokenBatch): Float64Array {
    return this.walk(tokens, 'train');
  }

  evaluate(tokens: TokenBatch): Float64Array {
    return this.walk(tokens, 'test');
  }

  abstract statistics(): Record<string, number>;

  /** The document batch being coded and the row of the document `codeDocument` gets: its truth columns travel with it. */
  protected batch: DocumentBatch | undefined;
  protected row = 0;

  /** Codes one document: writes its bits into `bits` at the parts' tokens; learns from it in the train phase. */
  protected abstract codeDocument(parts: DocumentParts, bits: Float64Array, phase: CodingPhase): void;

  private walk(tokens: TokenBatch, phase: CodingPhase): Float64Array {
    const bits = new Float64Array(tokens.length);
    if (tokens.length === 0) return bits;
    if (!DocumentLayout.isStructured(tokens)) {
      throw new KolmoError('input', `predictor "${this.label}": tokens lack the syntax-knowledge structure columns (element, template, attribute); use the slot-word tokenizer on syntax-knowledge documents`);
    }
    const rows = tokens.documents.text.length;
    const parts = this.parts;
    this.batch = tokens.documents;
    let cursor = 0;
    for (let row = 0; row < rows; row++) {
      this.row = row;
      cursor = this.layout.place(tokens, row, cursor, parts);
      this.codeDocument(parts, bits, phase);
    }
    if (cursor !== tokens.length) throw new KolmoError('input', `predictor "${this.label}": ${tokens.length - cursor} tokens past the batch's last document`);
    return bits;
  }
}
