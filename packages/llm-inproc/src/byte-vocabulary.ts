import type { TokenizedText } from '@kolmo/core';
import { vocabularyDigest, type ModelVocabulary } from './model-vocabulary.ts';

/**
 * Byte-level models: ids 0…255 are a text's UTF-8 bytes, `beginId` (256 for train-lm's byte models) starts a
 * document. Spans are in UTF-16 code units: the last byte of a character covers the whole character, the bytes
 * before it have empty spans at its start (in order, not overlapping, and their bits go to the same character).
 */
export class ByteVocabulary implements ModelVocabulary {
  readonly kind = 'bytes';
  readonly size: number;
  readonly beginId: number;
  readonly digest: string;

  constructor(beginId = 256, size = beginId + 1) {
    this.beginId = beginId;
    this.size = size;
    this.digest = vocabularyDigest('bytes', [], beginId);
  }

  detokenize(ids: ArrayLike<number>): string {
    return Buffer.from(Uint8Array.from(ids)).toString('utf8');
  }

  tokenize(text: string): TokenizedText {
    const ids = Buffer.from(text, 'utf8');
    const start = new Int32Array(ids.length);
    const end = new Int32Array(ids.length);
    let byte = 0;
    for (let unit = 0; unit < text.length; ) {
      const code = text.codePointAt(unit)!;
      const width = code > 0xffff ? 2 : 1; // UTF-16 units of this code point
      // Buffer writes a lone surrogate as U+FFFD: 3 bytes, like any code point in U+0800…U+FFFF.
      const bytes = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
      for (let k = 0; k < bytes; k++) {
        start[byte + k] = unit;
        end[byte + k] = k === bytes - 1 ? unit + width : unit;
      }
      byte += bytes;
      unit += width;
    }
    return { ids: Int32Array.from(ids), start, end };
  }
}
