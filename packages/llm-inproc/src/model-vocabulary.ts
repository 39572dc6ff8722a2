import { createHash } from 'node:crypto';
import type { TokenizedText } from '@kolmo/core';

/**
 * The vocabulary of a model trained by tools/train-lm, which maps text to the model's ids in TypeScript (the
 * fixtures' ids are the corpus' ids, so no engine's own text tokenizer is involved). `beginId` is the id put
 * before every document (the corpus' end-of-document id, or 256 for byte models).
 */
export interface ModelVocabulary {
  readonly kind: 'words' | 'bytes';
  /** Ids the model has: every id the tokenizer gives, and `beginId`, are below it. */
  readonly size: number;
  readonly beginId: number;
  /** SHA-256 of the vocabulary's texts: equal digests mean equal ids for equal text. */
  readonly digest: string;
  /** The text's tokens with spans in UTF-16 code units; `where` names the text in errors. */
  tokenize(text: string, where: string): TokenizedText;
  /** The text of ids (the inverse of tokenize). */
  detokenize(ids: ArrayLike<number>): string;
}

export function vocabularyDigest(kind: string, texts: readonly string[], beginId: number): string {
  return createHash('sha256').update(JSON.stringify({ kind, beginId, texts })).digest('hex');
}
