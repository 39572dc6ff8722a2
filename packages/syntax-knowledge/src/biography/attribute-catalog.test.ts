import { describe, expect, it } from 'vitest';
import { splitWordTokens, isPunctuation } from '@kolmo/core';
import { attributeCatalog, attributeNames, maxTemplates, templateText } from './attribute-catalog.ts';
import { compileSentence } from './compiled-sentence.ts';
import { wordList } from './word-lists.ts';

describe('biography catalog', () => {
  it('every template of every attribute compiles, in both positions, with one name, one value and syntax tokens', () => {
    for (const name of attributeNames) {
      const texts = new Set<string>();
      for (let t = 0; t < maxTemplates(name); t++) {
        const text = templateText(name, t);
        texts.add(text);
        for (const continued of [false, true]) {
          const sentence = compileSentence(text, continued);
          expect([...sentence.slots].sort()).toEqual(['name', 'value']);
          expect(sentence.syntaxTokens).toBeGreaterThan(0);
          expect(sentence.chunks.join('{}')).toBe(((continued ? ' ' : '') + text).replace(/\{name\}|\{value\}/g, '{}'));
        }
        expect(text.endsWith('.')).toBe(true);
      }
      expect(texts.size).toBe(maxTemplates(name));
    }
    for (const name of attributeNames) compileSentence(attributeCatalog[name].question, false);
  });

  it('rejects templates whose slots are glued to other characters', () => {
    expect(() => compileSentence('{name}s went to {value}.', false)).toThrow(/stand alone/);
    expect(() => compileSentence('{name} went to {value}.{value}', false)).toThrow();
    expect(() => compileSentence('{value}.', false)).toThrow(/name/);
    expect(() => compileSentence('{name} {value}', false)).toThrow(/syntax token/);
  });

  it('value and name lists have unique entries without punctuation, spaces only between words', () => {
    const lists = [
      ...attributeNames.map((name) => attributeCatalog[name].values()),
      wordList('first-names'),
      wordList('last-names'),
    ];
    const bad: string[] = [];
    for (const list of lists) {
      expect(new Set(list).size).toBe(list.length);
      for (const entry of list) {
        if (!/^\S+( \S+)*$/.test(entry)) bad.push(entry);
        for (let i = 0; i < entry.length; i++) if (isPunctuation(entry.charCodeAt(i))) bad.push(entry);
      }
    }
    for (const name of [...wordList('first-names'), ...wordList('last-names')]) if (splitWordTokens(name).length !== 1) bad.push(name);
    expect(bad).toEqual([]);
    expect(attributeCatalog.birthDate.values()).toHaveLength(33600);
  });
});
