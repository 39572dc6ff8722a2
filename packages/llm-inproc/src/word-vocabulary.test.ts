import { describe, expect, it } from 'vitest';
import { vocabularyFromCorpusHeader } from './load-vocabulary.ts';
import { skCorpusHeader, skValidationDocuments } from './testing/lm-fixtures.ts';
import { WordVocabulary } from './word-vocabulary.ts';

describe('WordVocabulary', () => {
  it('maps SK texts to exactly the ids the token-binary corpus holds, with spans that cover the text', async () => {
    const vocabulary = await vocabularyFromCorpusHeader(skCorpusHeader);
    const { texts, ids } = await skValidationDocuments(50);
    texts.forEach((text, d) => {
      const tokens = vocabulary.tokenize(text, `document ${d}`);
      expect(Array.from(tokens.ids)).toEqual(Array.from(ids[d]!));
      expect(tokens.start[0]).toBe(0);
      expect(tokens.end[tokens.end.length - 1]).toBe(text.length);
      for (let i = 1; i < tokens.ids.length; i++) expect(tokens.start[i]).toBe(tokens.end[i - 1]);
    });
  });

  it('names a word it does not know, and where', () => {
    const vocabulary = new WordVocabulary(['Alice', ' was', ' born', '.', '<|endoftext|>'], 4, 'test vocabulary');
    expect(Array.from(vocabulary.tokenize('Alice was born.', 'a').ids)).toEqual([0, 1, 2, 3]);
    expect(() => vocabulary.tokenize('Alice was seen.', 'document 7')).toThrow('document 7: " seen" at character 9 is not in the model\'s vocabulary (test vocabulary, 5 texts)');
    expect(() => vocabulary.tokenize('<|endoftext|>', 'b')).toThrow(/is not in the model's vocabulary/);
  });
});
