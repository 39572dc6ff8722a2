import { describe, expect, it } from 'vitest';
import { ByteVocabulary } from './byte-vocabulary.ts';

describe('ByteVocabulary', () => {
  it("gives a text's UTF-8 bytes, the last byte of each character spanning it in UTF-16 units", () => {
    const vocabulary = new ByteVocabulary();
    const text = 'aé€😀b\ud800'; // 1, 2, 3 and 4 bytes (a surrogate pair: 2 units), then a lone surrogate (U+FFFD: 3 bytes)
    const { ids, start, end } = vocabulary.tokenize(text);
    expect(Array.from(ids)).toEqual(Array.from(Buffer.from(text, 'utf8')));
    expect(Array.from(start)).toEqual([0, 1, 1, 2, 2, 2, 3, 3, 3, 3, 5, 6, 6, 6]);
    expect(Array.from(end)).toEqual([1, 1, 2, 2, 2, 3, 3, 3, 3, 5, 6, 6, 6, 7]);
    expect(vocabulary.size).toBe(257);
    expect(vocabulary.beginId).toBe(256);
  });
});
