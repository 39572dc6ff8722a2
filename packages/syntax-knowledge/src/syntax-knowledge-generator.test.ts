import { deriveSeed, RunContext, StageRegistry, validateComponent, type DocumentBatch, type Generator } from '@kolmo/core';
import { describe, expect, it } from 'vitest';
import { pitmanYorPrior } from './knowledge/pitman-yor-prior.ts';
import { qaProbes } from './qa-probes.ts';
import { syntaxKnowledgeGeneratorStage, syntaxKnowledgeSourceOf } from './syntax-knowledge-generator.ts';
import { Rng } from '@kolmo/core';

const registry = new StageRegistry();
registry.add(syntaxKnowledgeGeneratorStage, '@kolmo/generator');
registry.add(pitmanYorPrior, '@kolmo/generator');

const warnings: string[] = [];

async function build(config: Record<string, unknown>, seed = 42, point: Record<string, unknown> = {}): Promise<Generator> {
  const context = new RunContext({
    registry,
    runDir: '.',
    specDir: '.',
    point,
    seed: deriveSeed(seed, point),
    signal: new AbortController().signal,
    log: { info: () => undefined, warn: (message) => warnings.push(message) },
  });
  const component = validateComponent(undefined, registry, 'generator', { type: 'syntax-knowledge', ...config }, ['pipeline', 'generator']);
  return context.build({ ...component, kind: 'generator' });
}

function drain(generator: Generator): DocumentBatch[] {
  const iterator = generator.batches() as Iterator<DocumentBatch>;
  const out: DocumentBatch[] = [];
  for (let step = iterator.next(); !step.done; step = iterator.next()) out.push(step.value);
  return out;
}

const small = { truncation: { maxAtoms: 4096 } };

describe('syntax-knowledge generator stage', () => {
  it('defaults to Pitman–Yor(0.5, 1), emits batches of ground truth and exposes its source', async () => {
    const generator = await build({ ...small, documents: 2500, batchDocuments: 1000 });
    const source = syntaxKnowledgeSourceOf(generator)!;
    expect(source.prior.name).toBe('pitman-yor(α=0.5, β=1)');
    expect(generator.expectedDocuments).toBe(2500);
    const batches = drain(generator);
    expect(batches.map((b) => [b.first, b.text.length])).toEqual([
      [0, 1000],
      [1000, 1000],
      [2000, 500],
    ]);
    for (const name of ['element', 'isNew', 'template', 'attribute', 'syntaxBits', 'knowledgeBits', 'frequency']) {
      expect(batches[0].columns[name]).toBeDefined();
    }
    expect(generator.statistics!().documents).toBe(2500);
    expect(warnings.some((w) => w.includes('leave mass'))).toBe(true); // 4096 atoms cannot reach 1e-6 at α = 0.5
  });

  it('same seed ⇒ byte-identical corpus; another seed or sweep point ⇒ another stream', async () => {
    const texts = async (seed: number, point: Record<string, unknown> = {}) =>
      drain(await build({ ...small, documents: 500 }, seed, point)).flatMap((b) => b.text).join('\n');
    const a = await texts(1);
    expect(await texts(1)).toBe(a);
    expect(await texts(2)).not.toBe(a);
    expect(await texts(1, { documents: 500 })).not.toBe(a);
    expect(await texts(1, { documents: 500 })).toBe(await texts(1, { documents: 500 }));
  });

  it('takes another prior by its component config', async () => {
    const generator = await build({ ...small, documents: 10, prior: { type: 'pitman-yor', discount: 0, concentration: 3 } });
    expect(syntaxKnowledgeSourceOf(generator)!.prior.name).toBe('pitman-yor(α=0, β=3)');
  });

  it('rejects bad configurations with errors naming the field, before generating', async () => {
    const fails = async (config: Record<string, unknown>, pattern: RegExp) => {
      let message = '';
      try {
        await build({ ...small, ...config });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(pattern);
    };
    await fails({ prior: { type: 'pitman-yor', discount: 1 } }, /pipeline\.generator\.prior\.discount/);
    await fails({ prior: { type: 'pitman-yor', discount: -0.1 } }, /pipeline\.generator\.prior\.discount/);
    await fails({ prior: { type: 'pitman-yor', discount: 0.5, concentration: -0.5 } }, /concentration β must be greater than −discount/);
    await fails({ templates: 0 }, /pipeline\.generator\.templates.*at least one template/);
    await fails({ values: { major: 0 } }, /pipeline\.generator\.values\.major.*must not be empty/);
    await fails({ values: { major: 1000 } }, /values\.major: 1000 values asked for/);
    await fails({ documents: 5000, firstNames: 50, lastNames: 50 }, /only 2500 unique names/);
    await fails({ attributes: ['birthplace'] }, /pipeline\.generator\.attributes/);
    await fails({ prior: { type: 'dirichlet' } }, /unknown prior type "dirichlet"/);
  });
});

describe('QA probes', () => {
  it('spread over frequency bins, with the true answer among all candidates', async () => {
    const generator = await build({ ...small, documents: 20000 });
    drain(generator);
    const source = syntaxKnowledgeSourceOf(generator)!;
    const set = qaProbes(source, { rng: new Rng(1), perBin: 5, binsPerDecade: 1 });
    expect(set.bins.length).toBeGreaterThan(3);
    expect(set.candidates.map((c) => c.length)).toEqual([33600, 1024, 512, 64, 1024]);
    const binsSeen = new Set(set.probes.map((p) => p.bin));
    expect(binsSeen.size).toBe(set.bins.length);
    for (const bin of set.bins) {
      const individuals = new Set(set.probes.filter((p) => p.bin === bin.bin).map((p) => p.element));
      expect(individuals.size).toBe(Math.min(5, bin.individuals));
    }
    for (const probe of set.probes) {
      expect(set.candidates[probe.attribute][probe.answerIndex]).toBe(probe.answer);
      expect(probe.answer).toBe(source.values[probe.attribute][source.valueOf(probe.element, probe.attribute)]);
      expect(probe.frequency).toBe(source.weight(probe.element));
      expect(probe.frequency).toBeGreaterThanOrEqual(set.bins.find((b) => b.bin === probe.bin)!.low);
      expect(probe.frequency).toBeLessThan(set.bins.find((b) => b.bin === probe.bin)!.high);
      expect(probe.prefix).toBe(`${probe.question} `);
      expect(probe.question).toContain(probe.name);
      expect(probe.log2ChanceCorrect).toBe(-Math.log2(set.candidates[probe.attribute].length));
    }
    const city = set.probes.find((p) => p.attributeName === 'birthCity')!;
    expect(city.question).toBe(`Where was ${city.name} born?`);
    expect(city.statementPrefix + city.answer + '.').toBe(`${city.name} was born in ${city.answer}.`);
    expect(JSON.parse(JSON.stringify(set)).probes.length).toBe(set.probes.length);
  });
});

describe('held-out documents', () => {
  it('continue the same source after the corpus, numbered on, and leave the corpus statistics alone', async () => {
    const generator = await build({ ...small, documents: 3000, batchDocuments: 1000 });
    const corpus = drain(generator);
    const source = syntaxKnowledgeSourceOf(generator)!;
    const before = generator.statistics!();
    const iterator = generator.heldOut!(1500) as Iterator<DocumentBatch>;
    const heldOut: DocumentBatch[] = [];
    for (let step = iterator.next(); !step.done; step = iterator.next()) heldOut.push(step.value);
    expect(heldOut.map((b) => [b.first, b.text.length])).toEqual([
      [3000, 1000],
      [4000, 500],
    ]);
    const after = generator.statistics!();
    expect(after.documents).toBe(3000);
    expect(after.distinctElements).toBe(before.distinctElements);
    expect(after.heldOutDocuments).toBe(1500);
    // Same G: known elements keep their true weight; same φ: syntax bits from the same table.
    const seen = new Set(corpus.flatMap((b) => Array.from(b.columns.element as Int32Array)));
    const elements = heldOut.flatMap((b) => Array.from(b.columns.element as Int32Array));
    expect(elements.some((e) => seen.has(e))).toBe(true);
    heldOut.forEach((batch) =>
      batch.text.forEach((_, row) => {
        const e = (batch.columns.element as Int32Array)[row];
        expect((batch.columns.frequency as Float64Array)[row]).toBe(source.weight(e));
        const a = (batch.columns.attribute as Int32Array)[row];
        const t = (batch.columns.template as Int32Array)[row];
        expect((batch.columns.syntaxBits as Float64Array)[row]).toBe(source.sentenceSyntaxBits(a, t));
      }),
    );
  });

  it('refuses held-out documents that could need more individuals than names', async () => {
    const generator = await build({ ...small, documents: 2000, firstNames: 50, lastNames: 50 });
    drain(generator);
    expect(() => (generator.heldOut!(1000) as Iterator<DocumentBatch>).next()).toThrow(/3000 documents.*only 2500 unique names/);
  });
});
