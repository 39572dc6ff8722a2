import { KolmoError, type TokenizedText } from '@kolmo/core';
import { forEachWordToken } from '@kolmo/core';
import { vocabularyDigest, type ModelVocabulary } from './model-vocabulary.ts';

/**
 * A word-level vocabulary (the slot-word tokenizer's, as a token-binary corpus stores it): a text is split by
 * the SK word grammar (a word or a punctuation mark with the single space before it) and each piece is looked up,
 * exactly as the slot-word tokenizer does for text outside an SK document's structure. A piece the vocabulary
 * lacks is an input error naming it and where it is.
 */
export class WordVocabulary implements ModelVocabulary {
  readonly kind = 'words';
  readonly size: number;
  readonly beginId: number;
  readonly digest: string;
  readonly texts: readonly string[];
  private readonly ids = new Map<string, number>();
  private readonly source: string;

  /** `texts[i]` is id i's text; `source` names where the vocabulary came from, for errors. */
  constructor(texts: readonly string[], beginId: number, source: string) {
    if (beginId < 0 || beginId >= texts.length) {
      throw new KolmoError('input', `${source}: the begin id ${beginId} is outside the vocabulary of ${texts.length} texts`);
    }
    this.texts = texts;
    this.size = texts.length;
    this.beginId = beginId;
    this.source = source;
    this.digest = vocabularyDigest('words', texts, beginId);
    texts.forEach((text, id) => {
      if (id !== beginId && !this.ids.has(text)) this.ids.set(text, id);
    });
  }

  detokenize(ids: ArrayLike<number>): string {
    return Array.from(ids, (id) => this.texts[id]).join('');
  }

  tokenize(text: string, where: string): TokenizedText {
    const ids: number[] = [];
    const start: number[] = [];
    const end: number[] = [];
    forEachWordToken(text, (from, to) => {
      const piece = text.slice(from, to);
      const id = this.ids.get(piece);
      if (id === undefined) {
        throw new KolmoError('input', `${where}: ${JSON.stringify(piece)} at character ${from} is not in the model's vocabulary (${this.source}, ${this.size} texts)`);
      }
      ids.push(id);
      start.push(from);
      end.push(to);
    });
    return { ids: Int32Array.from(ids), start: Int32Array.from(start), end: Int32Array.from(end), pieces: ids.map((id) => this.texts[id]!) };
  }
}
