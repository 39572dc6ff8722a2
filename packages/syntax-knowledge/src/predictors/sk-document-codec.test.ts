import { fileURLToPath } from 'node:url';
import { RangeEncoder } from '@kolmo/entropy-coding';
import { KolmoError, loadPlugins, type DocumentBatch, type Prior, type StageContext, type StageDescriptor, type TokenBatch } from '@kolmo/core';
import { PitmanYorPrior } from '../knowledge/pitman-yor-prior.ts';
import { type SyntaxKnowledgeSettings } from '../syntax-knowledge-source.ts';
import { describe, expect, it } from 'vitest';
import { BayesOptimalPredictor } from './bayes-optimal-predictor.ts';
import { decodeSkDocuments, encodeSkDocuments } from './sk-document-codec.ts';
import { marginalOnlyPrior, testCorpus } from './syntax-knowledge-corpus.fixture.ts';

/**
 * The alternative priors, loaded by package name through the plugin loader as the CLI loads them (packages may
 * not import plugins statically).
 */
const repositoryRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const pluginStages = await loadPlugins([{ name: '@kolmo/plugin-priors', baseDir: repositoryRoot }]);
async function pluginPrior(type: string, config: Record<string, unknown>): Promise<Prior> {
  const stage = pluginStages.get('prior', type)!.descriptor as StageDescriptor<'prior'>;
  return stage.create(stage.config.parse(config), {} as StageContext);
}

type CorpusOptions = Partial<SyntaxKnowledgeSettings> & { seed: number; prior?: Prior };

/** A corpus, its documents, and the Bayes-optimal predictor's ideal bits from `score`, per document and in all. */
function scoredCorpus(options: CorpusOptions, documents: number) {
  const corpus = testCorpus(options);
  const batches = corpus.next(documents, 1000);
  const predictor = new BayesOptimalPredictor(corpus.source);
  const perDocument = new Float64Array(documents);
  let ideal = 0;
  for (const tokens of batches) {
    const bits = predictor.score(tokens);
    for (let i = 0; i < tokens.length; i++) {
      perDocument[tokens.doc[i]] += bits[i];
      ideal += bits[i];
    }
  }
  return { corpus, batches, documents: batches.map((tokens) => tokens.documents), ideal, perDocument };
}

const textsOf = (batches: readonly DocumentBatch[]) => batches.flatMap((batch) => [...batch.text]);
const columnOf = (batches: readonly DocumentBatch[], name: string) => batches.flatMap((batch) => [...(batch.columns[name] as Int32Array)]);

describe('SK document codec (Bayes-optimal, range coded)', () => {
  const cases: { label: string; documents: number; options: () => Promise<CorpusOptions> }[] = [
    { label: 'single attribute, PY(0.5, 1)', documents: 20000, options: async () => ({ seed: 31 }) },
    { label: 'all attributes, PY(0.5, 1)', documents: 20000, options: async () => ({ seed: 32, mode: 'all-attributes' }) },
    {
      label: 'single attribute, weighted attributes, PY(0.3, 5), T = 6, a = 1',
      documents: 20000,
      options: async () => ({ seed: 33, prior: new PitmanYorPrior(0.3, 5), attributeWeights: [3, 1, 1, 1, 2], templates: 6, templatePrior: 1 }),
    },
    { label: 'single attribute, Dirichlet process β = 20 (plugin)', documents: 20000, options: async () => ({ seed: 34, prior: await pluginPrior('dirichlet-process', { concentration: 20 }) }) },
    {
      label: 'all attributes, finite Dirichlet M = 3000, c = 0.5 (plugin)',
      documents: 10000,
      options: async () => ({ seed: 35, mode: 'all-attributes', prior: await pluginPrior('finite-dirichlet', { elements: 3000, concentration: 0.5 }) }),
    },
    // No parameters to read: the element choice falls back to the seating's own probabilities, O(K) a document.
    { label: 'single attribute, marginal-only PY(0.7, 0.5) (generic seating)', documents: 5000, options: async () => ({ seed: 36, prior: marginalOnlyPrior(0.7, 0.5) }) },
  ];

  for (const { label, documents, options } of cases) {
    it(`decode(encode(x)) = x from the structure alone, within ideal/8 × 1.001 + 64 bytes (${label})`, async () => {
      const settings = await options();
      const { corpus, documents: original, ideal } = scoredCorpus(settings, documents);
      const encoded = encodeSkDocuments(original, corpus.source);
      expect(encoded.documents).toBe(documents);

      // The decoder's source has other φ and G (another seed): only the settings are shared.
      const structure = testCorpus({ ...settings, seed: settings.seed + 1000 }).source;
      const decoded = decodeSkDocuments(encoded.bytes, structure, { batchDocuments: 3000 });
      expect(textsOf(decoded)).toEqual(textsOf(original));
      // The corpus starts at the source's first document, so local ids are the generator's element ids.
      for (const column of ['element', 'isNew', 'attribute', 'template']) {
        expect(columnOf(decoded, column), column).toEqual(columnOf(original, column));
      }

      const bound = (ideal / 8) * 1.001 + 64;
      expect(encoded.bytes.length).toBeLessThanOrEqual(bound);
      // Quantization costs (theory §8) stay far below 10⁻³ bits a document: ≤ 6 decisions, each ≤ −log2(1 − V/2^P) ≤ 2·10⁻⁴.
      expect(Math.abs(encoded.bits - ideal)).toBeLessThanOrEqual(1e-3 * documents);
    });
  }

  it("BayesOptimalPredictor.documentCodec() codes each document in score's bits, up to quantization", () => {
    const { corpus, batches, perDocument } = scoredCorpus({ seed: 37, mode: 'all-attributes', templates: 8 }, 3000);
    const codec = new BayesOptimalPredictor(corpus.source).documentCodec();
    const encoder = new RangeEncoder();
    const coded = batches.flatMap((tokens: TokenBatch) => [...codec.encode(tokens.documents, encoder)]);
    let worst = 0;
    coded.forEach((bits, doc) => (worst = Math.max(worst, Math.abs(bits - perDocument[doc]))));
    expect(worst).toBeLessThan(1e-3);
  });

  it('refuses a document whose text is not what its structure renders to', () => {
    const { corpus, documents } = scoredCorpus({ seed: 38 }, 200);
    const tampered = { ...documents[0], text: documents[0].text.map((text, row) => (row === 150 ? text.replace('.', '!') : text)) };
    expect(() => encodeSkDocuments([tampered], corpus.source)).toThrow(/document 150 does not match its structure/);
    const wrongMode = testCorpus({ seed: 38, mode: 'all-attributes' }).source;
    expect(() => encodeSkDocuments(documents, Object.assign(Object.create(corpus.source), { mode: wrongMode.mode }))).toThrow(KolmoError);
  });

  it('refuses truncated and corrupted input with an input error', () => {
    const { corpus, documents } = scoredCorpus({ seed: 39 }, 2000);
    const { bytes } = encodeSkDocuments(documents, corpus.source);
    const fail = (input: Uint8Array) => {
      try {
        const decoded = decodeSkDocuments(input, corpus.source);
        return textsOf(decoded).join('\n') === textsOf(documents).join('\n') ? 'same' : 'different';
      } catch (error) {
        return error instanceof KolmoError && error.kind === 'input' ? 'refused' : String(error);
      }
    };
    expect(fail(bytes.subarray(0, bytes.length - 40))).toBe('refused');
    expect(fail(bytes.subarray(0, 2))).toBe('refused');
    // A flipped payload byte either breaks the stream (refused) or decodes to other documents, never silently the same.
    const flipped = bytes.slice();
    flipped[Math.floor(bytes.length / 2)] ^= 0x10;
    expect(['refused', 'different']).toContain(fail(flipped));
  });
});
