import type { DocumentBatch, Prior } from '@kolmo/core';
import { describe, expect, it } from 'vitest';
import { attributeCatalog, attributeNames, templateText } from './biography/attribute-catalog.ts';
import { createSyntaxKnowledgeSource } from './create-syntax-knowledge-source.ts';
import { PitmanYorPrior } from './knowledge/pitman-yor-prior.ts';
import type { SyntaxKnowledgeSource } from './syntax-knowledge-source.ts';

function allBatches(source: SyntaxKnowledgeSource, batch = 257): DocumentBatch[] {
  const out: DocumentBatch[] = [];
  while (source.documents < source.settings.documents) out.push(source.nextBatch(batch));
  return out;
}

function column<T>(batches: DocumentBatch[], name: string): T[] {
  return batches.flatMap((b) => Array.from(b.columns[name] as unknown as ArrayLike<T>));
}

/** The Pitman–Yor prior without its true weights: the generator must fall back to marginal (CRP) draws. */
function marginalOnly(prior: PitmanYorPrior): Prior {
  return {
    name: `${prior.name} (marginal only)`,
    seating: () => prior.seating(),
    logMarginal: (sizes) => prior.logMarginal(sizes),
  };
}

/** A small head of G keeps each source quick to build (the data are exact whatever the head). */
const fast = { truncation: { maxAtoms: 4096, tolerance: 1e-6 } };

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('syntax-knowledge source', () => {
  it('same seed ⇒ identical corpus and ground truth; another seed ⇒ another corpus', () => {
    const make = (seed: number) => allBatches(createSyntaxKnowledgeSource({ ...fast, seed, documents: 2000 }));
    const a = make(1);
    const b = make(1);
    const c = make(2);
    expect(column(a, 'element')).toEqual(column(b, 'element'));
    expect(a.flatMap((x) => x.text)).toEqual(b.flatMap((x) => x.text));
    for (const name of ['syntaxBits', 'knowledgeBits', 'frequency', 'template', 'attribute', 'isNew']) {
      expect(column(a, name)).toEqual(column(b, name));
    }
    expect(a.flatMap((x) => x.text)).not.toEqual(c.flatMap((x) => x.text));
  });

  it('keeps the element sequence when only the syntax changes (separate random streams)', () => {
    const a = allBatches(createSyntaxKnowledgeSource({ ...fast, seed: 3, documents: 1000, templates: 2 }));
    const b = allBatches(createSyntaxKnowledgeSource({ ...fast, seed: 3, documents: 1000, templates: 16 }));
    expect(column(a, 'element')).toEqual(column(b, 'element'));
    expect(column(a, 'attribute')).toEqual(column(b, 'attribute'));
    expect(column(a, 'template')).not.toEqual(column(b, 'template'));
  });

  it('oracle bits: knowledge = −log2 π of the element, syntax = −log2 P(attribute) − log2 φ_a(t)', () => {
    const source = createSyntaxKnowledgeSource({ ...fast, seed: 4, documents: 3000, templates: 8 });
    const batches = allBatches(source);
    const elements = column<number>(batches, 'element');
    const isNew = column<number>(batches, 'isNew');
    const template = column<number>(batches, 'template');
    const attribute = column<number>(batches, 'attribute');
    const syntaxBits = column<number>(batches, 'syntaxBits');
    const knowledgeBits = column<number>(batches, 'knowledgeBits');
    const frequency = column<number>(batches, 'frequency');
    let next = 0;
    elements.forEach((e, i) => {
      expect(isNew[i]).toBe(e === next ? 1 : 0);
      if (e === next) next++;
      expect(e).toBeLessThan(next);
      expect(frequency[i]).toBe(source.weight(e));
      expect(knowledgeBits[i]).toBe(-Math.log2(frequency[i]));
      const a = attribute[i];
      expect(syntaxBits[i]).toBe(Math.log2(5) - source.syntax.log2Probability(a, template[i]));
    });
    expect(source.elements).toBe(next);
  });

  it('renders injectively: each document parses back to exactly one (attribute, template, name, value)', () => {
    const source = createSyntaxKnowledgeSource({ ...fast, seed: 5, documents: 3000, templates: 64 });
    const firstNames = new Set(source.firstNames);
    const lastNames = new Set(source.lastNames);
    const values = source.values.map((list) => new Map(list.map((v, i) => [v, i])));
    const patterns = attributeNames.flatMap((name, a) =>
      Array.from({ length: 64 }, (_, t) => {
        const text = templateText(name, t);
        const order = text.indexOf('{name}') < text.indexOf('{value}') ? ['name', 'value'] : ['value', 'name'];
        const body = escape(text).replace('\\{name\\}', '(\\S+) (\\S+)').replace('\\{value\\}', '([^.,;:?!]+)');
        return { a, t, order, regex: new RegExp(`^${body}$`) };
      }),
    );
    const batches = allBatches(source);
    const texts = batches.flatMap((b) => b.text);
    const elements = column<number>(batches, 'element');
    const attribute = column<number>(batches, 'attribute');
    const template = column<number>(batches, 'template');
    texts.forEach((text, i) => {
      const parses: string[] = [];
      for (const { a, t, order, regex } of patterns) {
        const match = regex.exec(text);
        if (!match) continue;
        const first = order[0] === 'name' ? match[1] : match[2];
        const last = order[0] === 'name' ? match[2] : match[3];
        const value = order[0] === 'name' ? match[3] : match[1];
        if (firstNames.has(first) && lastNames.has(last) && values[a].has(value)) parses.push(`${a}/${t}/${first} ${last}/${values[a].get(value)}`);
      }
      const e = elements[i];
      expect(parses).toEqual([`${attribute[i]}/${template[i]}/${source.nameOf(e)}/${source.valueOf(e, attribute[i])}`]);
    });
  });

  it('all-attributes mode: every attribute once, in order, templates decoded from the mixed-radix column', () => {
    const source = createSyntaxKnowledgeSource({ ...fast, seed: 6, documents: 300, mode: 'all-attributes', templates: 3 });
    const batches = allBatches(source, 100);
    batches.forEach((batch) =>
      batch.text.forEach((text, row) => {
        const e = (batch.columns.element as Int32Array)[row];
        expect((batch.columns.attribute as Int32Array)[row]).toBe(-1);
        const code = (batch.columns.template as Int32Array)[row];
        let expectedText = '';
        let syntaxBits = 0;
        attributeNames.forEach((name, a) => {
          const t = source.templateOf(code, a);
          const sentence = source.sentence(a, t, a > 0);
          const slots = sentence.slots.map((slot) => (slot === 'name' ? source.nameOf(e) : source.values[a][source.valueOf(e, a)]));
          expectedText += sentence.chunks[0] + slots[0] + sentence.chunks[1] + slots[1] + sentence.chunks[2];
          syntaxBits += -source.syntax.log2Probability(a, t);
        });
        expect(text).toBe(expectedText);
        expect((batch.columns.syntaxBits as Float64Array)[row]).toBe(syntaxBits);
      }),
    );
  });

  it('G0: unique names with −log2 G0(name of element k) = log2(F·L − k), uniform values', () => {
    const source = createSyntaxKnowledgeSource({ ...fast, seed: 7, documents: 1200, firstNames: 30, lastNames: 40, prior: new PitmanYorPrior(0.9, 10) });
    allBatches(source, 1000);
    const names = new Set<string>();
    for (let e = 0; e < source.elements; e++) names.add(source.nameOf(e));
    expect(names.size).toBe(source.elements);
    expect(source.elements).toBeGreaterThan(400);
    expect(source.log2NameProbability(0)).toBe(-Math.log2(1200));
    expect(source.log2NameProbability(17)).toBe(-Math.log2(1200 - 17));
    expect(source.log2ValueProbability(3)).toBe(-Math.log2(64));
    expect(source.log2BaseMeasure(2)).toBeCloseTo(-Math.log2(1198) - Math.log2(33600) - 10 - 9 - 6 - 10, 10);
    // Majors (64 values) are uniform over elements: chi-square over value counts.
    const counts = new Float64Array(64);
    for (let e = 0; e < source.elements; e++) counts[source.valueOf(e, 3)]++;
    const expected = source.elements / 64;
    const chi2 = counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
    expect(chi2).toBeLessThan(120); // 63 d.o.f., P ≈ 2e-5
  });

  it('without true weights: marginal draws whose knowledge bits add up to the exact EPPF + G0 code length', () => {
    const prior = new PitmanYorPrior(0.5, 1);
    const source = createSyntaxKnowledgeSource({ ...fast, seed: 8, documents: 5000, prior: marginalOnly(prior) });
    const batches = allBatches(source);
    const knowledgeBits = column<number>(batches, 'knowledgeBits');
    const nameBits = column<number>(batches, 'nameBits');
    const revealed = column<number>(batches, 'revealedValues');
    const frequency = column<number>(batches, 'frequency');
    const elements = column<number>(batches, 'element');
    const attribute = column<number>(batches, 'attribute');
    let total = 0;
    knowledgeBits.forEach((bits, i) => {
      total += bits;
      const valueBits = revealed[i] ? -source.log2ValueProbability(attribute[i]) : 0;
      expect(bits).toBe(nameBits[i] + valueBits);
      expect(Number.isNaN(source.weight(elements[i]))).toBe(true);
    });
    expect(frequency[frequency.length - 1]).toBe(source.count(elements[elements.length - 1]));
    const sizes = Array.from({ length: source.elements }, (_, k) => source.count(k));
    let closed = -prior.logMarginal(sizes) / Math.LN2;
    for (let k = 0; k < source.elements; k++) {
      closed -= source.log2NameProbability(k);
      for (let a = 0; a < 5; a++) if (source.attributeCountOf(k, a) > 0) closed -= source.log2ValueProbability(a);
    }
    expect(Math.abs(total - closed) / closed).toBeLessThan(1e-9);
    const stats = source.statistics();
    expect(Math.abs(stats.trueBitsPerDocument * 5000 - (total + column<number>(batches, 'syntaxBits').reduce((s, x) => s + x, 0)))).toBeLessThan(1e-6);
  });

  it('statistics: documents, distinct elements, singletons, bits per document and per slot', () => {
    const source = createSyntaxKnowledgeSource({ ...fast, seed: 9, documents: 4000 });
    const batches = allBatches(source);
    const stats = source.statistics();
    expect(stats.documents).toBe(4000);
    expect(stats.distinctElements).toBe(source.elements);
    let singles = 0;
    for (let e = 0; e < source.elements; e++) if (source.count(e) === 1) singles++;
    expect(stats.singletonFraction).toBe(singles / source.elements);
    const syntax = column<number>(batches, 'syntaxBits').reduce((s, x) => s + x, 0);
    const knowledge = column<number>(batches, 'knowledgeBits').reduce((s, x) => s + x, 0);
    expect(stats.syntaxBitsPerDocument).toBeCloseTo(syntax / 4000, 9);
    expect(stats.knowledgeBitsPerDocument).toBeCloseTo(knowledge / 4000, 9);
    expect(stats.nameTokens).toBe(8000);
    expect(stats.tokens).toBe(stats.syntaxTokens + stats.nameTokens + stats.valueTokens);
    expect(stats.trueBitsPerToken).toBeCloseTo((syntax + knowledge) / stats.tokens, 9);
    expect(stats.syntaxFreeParameters).toBe(15);
  });

  it('the statement templates put the name before the value (QA completion prefixes rely on it)', () => {
    for (const name of attributeNames) {
      const core = attributeCatalog[name].cores[0];
      expect(core.indexOf('{name}')).toBeLessThan(core.indexOf('{value}'));
    }
  });
});

describe('syntax-knowledge settings', () => {
  const reject = (settings: Parameters<typeof createSyntaxKnowledgeSource>[0], pattern: RegExp) =>
    expect(() => createSyntaxKnowledgeSource({ ...fast, ...settings })).toThrow(pattern);

  it('rejects bad configurations with errors naming the field', () => {
    reject({ seed: 1, templates: 0 }, /templates: needs at least one template/);
    reject({ seed: 1, templates: 65 }, /templates: 65 templates asked for/);
    reject({ seed: 1, valueCounts: { birthDate: 10, birthCity: 0, university: 5, major: 5, employer: 5 } }, /values\.birthCity: the value list must not be empty/);
    reject({ seed: 1, valueCounts: { birthDate: 10, birthCity: 10, university: 5, major: 65, employer: 5 } }, /values\.major: 65 values asked for/);
    reject({ seed: 1, attributes: [] }, /attributes: needs at least one/);
    reject({ seed: 1, attributes: ['major', 'major'] }, /twice/);
    reject({ seed: 1, templatePrior: 0 }, /templatePrior/);
    reject({ seed: 1, attributeWeights: [1, 2] }, /attributeWeights: needs one weight per attribute/);
    reject({ seed: 1, firstNames: 0 }, /firstNames/);
  });

  it('rejects more possible individuals than unique names, before generating anything', () => {
    reject({ seed: 1, documents: 101, firstNames: 10, lastNames: 10 }, /may need up to 101 individuals.*only 100 unique names/);
    // A prior with at most 100 elements is fine however many documents there are.
    const finite: Prior = {
      name: 'uniform over 100',
      seating: () => new PitmanYorPrior(0.5, 1).seating(),
      logMarginal: () => 0,
      trueWeights: () => ({ weights: new Float64Array(100).fill(0.01), truncationMass: 0 }),
    };
    expect(() => createSyntaxKnowledgeSource({ ...fast, seed: 1, documents: 1000, firstNames: 10, lastNames: 10, prior: finite })).not.toThrow();
  });
});
