import { KolmoError, Rng, Slot, type DocumentBatch, type Prior, type TokenBatch } from '@kolmo/core';
import { createSyntaxKnowledgeSource } from './create-syntax-knowledge-source.ts';
import { PitmanYorPrior } from './knowledge/pitman-yor-prior.ts';
import { qaProbes } from './qa-probes.ts';
import { type SyntaxKnowledgeSource } from './syntax-knowledge-source.ts';
import { describe, expect, it } from 'vitest';
import { SlotWordTokenizer, slotWordTokenizer } from './slot-word-tokenizer.ts';

const fast = { truncation: { maxAtoms: 4096, tolerance: 1e-6 } };

function batches(source: SyntaxKnowledgeSource, size = 250): DocumentBatch[] {
  const out: DocumentBatch[] = [];
  while (source.documents < source.settings.documents) out.push(source.nextBatch(size));
  return out;
}

/** Token rows of each document, in order (a document's tokens are contiguous). */
function rowsByDocument(tokens: TokenBatch): Map<number, number[]> {
  const rows = new Map<number, number[]>();
  for (let i = 0; i < tokens.length; i++) {
    let list = rows.get(tokens.doc[i]);
    if (!list) rows.set(tokens.doc[i], (list = []));
    list.push(i);
  }
  return rows;
}

function checkDocuments(source: SyntaxKnowledgeSource, tokenizer: SlotWordTokenizer, batch: DocumentBatch): void {
  const tokens = tokenizer.tokenize(batch);
  expect(tokens.offsetUnit).toBe('utf16');
  const trueBits = tokens.trueBits!;
  const byDocument = rowsByDocument(tokens);
  const offsetErrors: number[] = [];
  batch.text.forEach((text, row) => {
    const doc = batch.first + row;
    const rows = byDocument.get(doc)!;
    const ids = rows.map((i) => tokens.ids[i]);
    expect(tokenizer.detokenize(ids)).toBe(text);
    let syntax = 0;
    let knowledge = 0;
    let total = 0;
    const names: string[] = [];
    const values: string[] = [];
    for (const i of rows) {
      if (text.slice(tokens.start[i], tokens.end[i]) !== tokenizer.tokenText(tokens.ids[i])) offsetErrors.push(i);
      if (tokens.slot[i] === Slot.syntax) syntax += trueBits[i];
      else knowledge += trueBits[i];
      total += trueBits[i];
      if (tokens.slot[i] === Slot.name) names.push(tokenizer.tokenText(tokens.ids[i]).trim());
      if (tokens.slot[i] === Slot.value) values.push(tokenizer.tokenText(tokens.ids[i]).trim());
    }
    const syntaxBits = (batch.columns.syntaxBits as Float64Array)[row];
    const knowledgeBits = (batch.columns.knowledgeBits as Float64Array)[row];
    // Per slot, in document order, exactly the columns; the interleaved total up to rounding.
    expect(syntax).toBe(syntaxBits);
    expect(knowledge).toBe(knowledgeBits);
    expect(Math.abs(total - (syntaxBits + knowledgeBits))).toBeLessThanOrEqual(1e-12 * (syntaxBits + knowledgeBits));
    // Name tokens spell the individual's name in each sentence; value tokens its values.
    const e = (batch.columns.element as Int32Array)[row];
    const attribute = (batch.columns.attribute as Int32Array)[row];
    const attributes = attribute >= 0 ? [attribute] : source.attributeNames.map((_, a) => a);
    expect(names.join(' ')).toBe(attributes.map(() => source.nameOf(e)).join(' '));
    expect(values.join(' ')).toBe(attributes.map((a) => source.values[a][source.valueOf(e, a)]).join(' '));
  });
  expect(offsetErrors).toEqual([]);
}

describe('slot-word tokenizer', () => {
  for (const mode of ['single-attribute', 'all-attributes'] as const) {
    it(`round-trips exactly, labels slots, and carries the oracle bits (${mode})`, () => {
      const source = createSyntaxKnowledgeSource({ ...fast, seed: 1, documents: 1500, mode, templates: mode === 'all-attributes' ? 8 : 64 });
      const tokenizer = new SlotWordTokenizer(source);
      for (const batch of batches(source)) checkDocuments(source, tokenizer, batch);
      const stats = source.statistics();
      expect(stats.tokens).toBeGreaterThan(0);
    });
  }

  it('counts the same tokens per slot as the generator statistics', () => {
    const source = createSyntaxKnowledgeSource({ ...fast, seed: 2, documents: 2000 });
    const tokenizer = new SlotWordTokenizer(source);
    const counts = [0, 0, 0, 0];
    for (const batch of batches(source)) {
      const tokens = tokenizer.tokenize(batch);
      for (let i = 0; i < tokens.length; i++) counts[tokens.slot[i]]++;
    }
    const stats = source.statistics();
    expect(counts[Slot.syntax]).toBe(stats.syntaxTokens);
    expect(counts[Slot.name]).toBe(stats.nameTokens);
    expect(counts[Slot.value]).toBe(stats.valueTokens);
  });

  it('places first-time value bits on the value without true weights, matching the columns exactly', () => {
    const prior = new PitmanYorPrior(0.5, 1);
    const marginal: Prior = { name: 'marginal', seating: () => prior.seating(), logMarginal: (s) => prior.logMarginal(s) };
    for (const mode of ['single-attribute', 'all-attributes'] as const) {
      const source = createSyntaxKnowledgeSource({ ...fast, seed: 3, documents: 800, mode, prior: marginal });
      const tokenizer = new SlotWordTokenizer(source);
      for (const batch of batches(source)) {
        checkDocuments(source, tokenizer, batch);
        const tokens = tokenizer.tokenize(batch);
        let valueBits = 0;
        for (let i = 0; i < tokens.length; i++) if (tokens.slot[i] === Slot.value) valueBits += tokens.trueBits![i];
        if (batch.first === 0) expect(valueBits).toBeGreaterThan(0);
      }
    }
  });

  it('has a vocabulary fixed by the configuration, not by the data or the seed', () => {
    const a = new SlotWordTokenizer(createSyntaxKnowledgeSource({ ...fast, seed: 4, documents: 10 }));
    const b = new SlotWordTokenizer(createSyntaxKnowledgeSource({ ...fast, seed: 5, documents: 10 }));
    expect(a.vocabularySize).toBe(b.vocabularySize);
    for (let id = 0; id < a.vocabularySize; id++) expect(a.tokenText(id)).toBe(b.tokenText(id));
    expect(a.tokenText(0)).toBe(' ');
    expect(a.idOf(' was')).toBeGreaterThan(0);
    expect(a.idOf('no-such-token')).toBe(-1);
  });

  it('tokenizes QA prompts and answers by the vocabulary alone (slot text, no true bits)', () => {
    const source = createSyntaxKnowledgeSource({ ...fast, seed: 6, documents: 3000 });
    batches(source);
    const tokenizer = new SlotWordTokenizer(source);
    const set = qaProbes(source, { rng: new Rng(1), perBin: 3 });
    const texts = set.probes.flatMap((p) => [p.prefix + p.answer, p.statementPrefix + p.answer + '.', p.prefix]);
    const tokens = tokenizer.tokenize({ first: 0, text: texts, columns: {} });
    expect(tokens.trueBits).toBeUndefined();
    const byDocument = rowsByDocument(tokens);
    texts.forEach((text, doc) => {
      const rows = byDocument.get(doc)!;
      expect(tokenizer.detokenize(rows.map((i) => tokens.ids[i]))).toBe(text);
      for (const i of rows) expect(tokens.slot[i]).toBe(Slot.text);
    });
  });

  it('refuses text outside the vocabulary and documents that do not match their structure', () => {
    const source = createSyntaxKnowledgeSource({ ...fast, seed: 7, documents: 20 });
    const tokenizer = new SlotWordTokenizer(source);
    expect(() => tokenizer.tokenize({ first: 0, text: ['Zyxwv was born.'], columns: {} })).toThrow(/"Zyxwv" at offset 0/);
    const batch = source.nextBatch(20);
    const tampered = { ...batch, text: batch.text.map((t, i) => (i === 3 ? t.replace(/\.$/, '!') : t)) };
    expect(() => tokenizer.tokenize(tampered)).toThrow(KolmoError);
    expect(() => tokenizer.tokenize(tampered)).toThrow(/document 3 does not match/);
    const longer = { ...batch, text: batch.text.map((t, i) => (i === 5 ? t + ' ' : t)) };
    expect(() => tokenizer.tokenize(longer)).toThrow(/document 5 does not match/);
  });

  it('needs the syntax-knowledge generator upstream', async () => {
    const context = { upstream: {} } as Parameters<typeof slotWordTokenizer.create>[1];
    expect(() => slotWordTokenizer.create({ verify: true }, context)).toThrow(/needs the syntax-knowledge generator/);
  });
});
