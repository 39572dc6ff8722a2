import type { StageKind } from '@kolmo/core';

/** The kinds `kolmo new plugin --kind` can start, each with a small working stage and a test of it. */
export const scaffoldKinds = ['predictor', 'generator', 'tokenizer', 'sink', 'prior', 'llm-backend'] as const satisfies readonly StageKind[];
export type ScaffoldKind = (typeof scaffoldKinds)[number];

/** The source of src/index.ts and src/index.test.ts for a stage of `kind` named `type`. */
export interface StageTemplate {
  readonly description: string;
  readonly index: string;
  readonly test: string;
  /** A spec line that uses the stage, for the README. */
  readonly specExample: string;
}

export function stageTemplate(kind: ScaffoldKind, type: string): StageTemplate {
  return templates[kind](type);
}

const templates: Record<ScaffoldKind, (type: string) => StageTemplate> = {
  predictor: (type) => ({
    description: 'every token equally likely: log2(V) bits each, V the tokenizer vocabulary',
    specExample: `predictors: [{ type: ${type} }]`,
    index: `import { defineStage, stageModule, z, type Predictor, type TokenBatch } from '@kolmo/core';

/** Every token equally likely: −log2(1/V) = log2(V) bits each, V the tokenizer's vocabulary size. */
export const ${camel(type)} = defineStage({
  kind: 'predictor',
  type: '${type}',
  description: 'every token equally likely: log2(V) bits each, V the tokenizer vocabulary',
  config: z.object({
    vocabularySize: z.number().int().positive().optional().describe('V (default: the tokenizer vocabulary size)'),
  }),
  create: ({ vocabularySize }, context): Predictor => {
    const v = vocabularySize ?? context.upstream.tokenizer?.vocabularySize;
    if (!v) throw new Error('${type}: no vocabulary size (give vocabularySize, or use it after a tokenizer)');
    return { score: (tokens: TokenBatch) => new Float64Array(tokens.length).fill(Math.log2(v)) };
  },
});

export default stageModule(${camel(type)});
`,
    test: `import { removeSampleRunFolders, sampleContext, sampleRecords } from '@kolmo/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { ${camel(type)} } from './index.ts';

afterAll(removeSampleRunFolders);

describe('${type} predictor', () => {
  it('scores every token log2(V) bits', async () => {
    const context = sampleContext({ vocabularySize: 256, tokenize: () => { throw new Error('not used'); } });
    const predictor = await ${camel(type)}.create(${camel(type)}.config.parse({}), context);
    for (const { tokens } of sampleRecords({ batches: 3, documentsPerBatch: 4, predictors: [] })) {
      const bits = await predictor.score(tokens);
      expect(bits).toHaveLength(tokens.length);
      for (const b of bits) expect(b).toBe(8);
    }
  });
});
`,
  }),

  generator: (type) => ({
    description: 'numbered documents with seeded random words',
    specExample: `generator: { type: ${type}, documents: 100 }`,
    index: `import { defineStage, stageModule, z, type Generator } from '@kolmo/core';

const words = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'];

/** \`documents\` documents "doc i: w1 w2 …", words drawn from the run's seeded stream (same seed, same corpus). */
export const ${camel(type)} = defineStage({
  kind: 'generator',
  type: '${type}',
  description: 'numbered documents with seeded random words',
  config: z.object({
    documents: z.number().int().min(0).default(100).describe('documents to generate'),
    words: z.number().int().min(1).default(5).describe('words per document'),
    batchDocuments: z.number().int().positive().default(64).describe('documents per batch'),
  }),
  create: (config, context): Generator => {
    const rng = context.rng('${type}');
    function* numbered(from: number, to: number) {
      for (let first = from; first < to; first += config.batchDocuments) {
        const text: string[] = [];
        for (let i = first; i < Math.min(to, first + config.batchDocuments); i++) {
          const picked = Array.from({ length: config.words }, () => words[rng.nextInt(words.length)]);
          text.push(\`doc \${i}: \${picked.join(' ')}\`);
        }
        yield { first, text, columns: {} };
      }
    }
    return {
      expectedDocuments: config.documents,
      batches: () => numbered(0, config.documents),
      heldOut: (count) => numbered(config.documents, config.documents + count),
    };
  },
});

export default stageModule(${camel(type)});
`,
    test: `import { removeSampleRunFolders, sampleContext } from '@kolmo/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { ${camel(type)} } from './index.ts';

afterAll(removeSampleRunFolders);

async function corpus(): Promise<string[]> {
  const generator = await ${camel(type)}.create(${camel(type)}.config.parse({ documents: 150, batchDocuments: 64 }), sampleContext());
  const text: string[] = [];
  const batches = generator.batches() as Iterator<{ first: number; text: string[] }>;
  for (let next = batches.next(); !next.done; next = batches.next()) {
    expect(next.value.first).toBe(text.length); // batches continue the numbering
    text.push(...next.value.text);
  }
  return text;
}

describe('${type} generator', () => {
  it('emits the documents asked for, numbered, and the same corpus for the same seed', async () => {
    const first = await corpus();
    expect(first).toHaveLength(150);
    expect(first[149]).toMatch(/^doc 149: (\\w+ ){4}\\w+$/);
    expect(await corpus()).toEqual(first);
  });
});
`,
  }),

  tokenizer: (type) => ({
    description: 'one token per UTF-16 code unit (vocabulary 65536), reversible',
    specExample: `tokenizer: { type: ${type} }`,
    index: `import { defineStage, stageModule, z, type DocumentBatch, type TokenBatch, type Tokenizer } from '@kolmo/core';

/** One token per UTF-16 code unit: ids are char codes, so detokenize(tokenize(x)) === x for any text. */
export const ${camel(type)} = defineStage({
  kind: 'tokenizer',
  type: '${type}',
  description: 'one token per UTF-16 code unit (vocabulary 65536), reversible',
  config: z.object({}),
  create: (): Tokenizer => ({
    vocabularySize: 65536,
    tokenize(documents: DocumentBatch): TokenBatch {
      const length = documents.text.reduce((sum, text) => sum + text.length, 0);
      const tokens: TokenBatch = {
        length,
        ids: new Int32Array(length),
        doc: new Int32Array(length),
        slot: new Uint8Array(length),
        start: new Int32Array(length),
        end: new Int32Array(length),
        offsetUnit: 'utf16',
        documents,
      };
      let i = 0;
      documents.text.forEach((text, d) => {
        for (let c = 0; c < text.length; c++, i++) {
          tokens.ids[i] = text.charCodeAt(c);
          tokens.doc[i] = documents.first + d;
          tokens.start[i] = c;
          tokens.end[i] = c + 1;
        }
      });
      return tokens;
    },
    detokenize: (ids) => String.fromCharCode(...Array.from(ids)),
    tokenText: (id) => String.fromCharCode(id),
  }),
});

export default stageModule(${camel(type)});
`,
    test: `import { sampleRecords } from '@kolmo/core/testing';
import { describe, expect, it } from 'vitest';
import { ${camel(type)} } from './index.ts';

describe('${type} tokenizer', () => {
  it('gives each document its tokens in order, and detokenizes back to the text', async () => {
    const tokenizer = await ${camel(type)}.create({}, undefined as never);
    for (const { documents } of sampleRecords({ batches: 2, documentsPerBatch: 5, predictors: [] })) {
      const tokens = tokenizer.tokenize(documents);
      expect(tokens.length).toBe(documents.text.join('').length);
      documents.text.forEach((text, d) => {
        const ids = tokens.ids.filter((_, i) => tokens.doc[i] === documents.first + d);
        expect(tokenizer.detokenize!(ids)).toBe(text);
      });
    }
  });
});
`,
  }),

  sink: (type) => ({
    description: 'total bits per predictor as a CSV file, written atomically',
    specExample: `sinks: [{ type: ${type}, path: bits.csv }]`,
    index: `import { join } from 'node:path';
import { AtomicFile, defineStage, stageModule, z, type Sink } from '@kolmo/core';

/** Total bits and tokens per predictor, one CSV row each, committed only when the run completes. */
export const ${camel(type)} = defineStage({
  kind: 'sink',
  type: '${type}',
  description: 'total bits per predictor as a CSV file, written atomically',
  config: z.object({ path: z.string().default('bits.csv').describe('output file, relative to the run folder') }),
  create: ({ path }, context): Sink => {
    const totals = new Map<string, { bits: number; tokens: number }>();
    return {
      open({ predictors }) {
        for (const predictor of predictors) totals.set(predictor, { bits: 0, tokens: 0 });
      },
      write({ scored }) {
        for (const { predictor, bits } of scored) {
          const total = totals.get(predictor)!;
          for (const b of bits) total.bits += b;
          total.tokens += bits.length;
        }
      },
      async close() {
        const file = await AtomicFile.create(join(context.runDir, path));
        const rows = [...totals].map(([predictor, total]) => \`\${predictor},\${total.tokens},\${total.bits}\`);
        await file.write(Buffer.from(['predictor,tokens,bits', ...rows, ''].join('\\n')));
        return [await file.commit()];
      },
      async abort() {
        totals.clear();
      },
    };
  },
});

export default stageModule(${camel(type)});
`,
    test: `import { readFileSync } from 'node:fs';
import { removeSampleRunFolders, sampleContext, sampleRecords } from '@kolmo/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { ${camel(type)} } from './index.ts';

afterAll(removeSampleRunFolders);

describe('${type} sink', () => {
  it('writes each predictor total bits and tokens', async () => {
    const context = sampleContext();
    const sink = await ${camel(type)}.create(${camel(type)}.config.parse({}), context);
    const predictors = ['a', 'b'];
    await sink.open?.({ predictors });
    const expected = new Map(predictors.map((p) => [p, { bits: 0, tokens: 0 }]));
    for (const record of sampleRecords({ batches: 3, documentsPerBatch: 4, predictors })) {
      await sink.write(record);
      for (const { predictor, bits } of record.scored) {
        expected.get(predictor)!.tokens += bits.length;
        for (const b of bits) expected.get(predictor)!.bits += b;
      }
    }
    const [file] = await sink.close();
    const rows = readFileSync(file, 'utf8').trim().split('\\n').slice(1).map((row) => row.split(','));
    expect(rows.map(([predictor, tokens]) => [predictor, Number(tokens)])).toEqual(predictors.map((p) => [p, expected.get(p)!.tokens]));
    rows.forEach(([predictor, , bits]) => expect(Number(bits)).toBeCloseTo(expected.get(predictor)!.bits, 9));
  });
});
`,
  }),

  prior: (type) => ({
    description: 'Dirichlet process (Chinese restaurant) with concentration θ',
    specExample: `generator: { type: syntax-knowledge, prior: { type: ${type}, concentration: 2 } }`,
    index: `import { CountedSeating, defineStage, logGamma, stageModule, z, type Prior, type Rng } from '@kolmo/core';

/** Chinese restaurant: the next draw joins element k with probability n_k/(n+θ), opens a new one with θ/(n+θ). */
class RestaurantSeating extends CountedSeating {
  constructor(private readonly concentration: number) {
    super();
  }

  probabilityExisting(element: number): number {
    return this.count(element) / (this.draws + this.concentration);
  }

  probabilityNew(): number {
    return this.concentration / (this.draws + this.concentration);
  }

  sample(rng: Rng): number {
    const u = rng.nextFloat() * (this.draws + this.concentration);
    let acc = 0;
    for (let k = 0; k < this.distinct; k++) if ((acc += this.count(k)) > u) return k;
    return this.distinct;
  }
}

/** Dirichlet process DP(θ): log P(sizes) = K ln θ + Σ ln Γ(n_k) + ln Γ(θ) − ln Γ(θ + n), in nats. */
export const ${camel(type)} = defineStage({
  kind: 'prior',
  type: '${type}',
  description: 'Dirichlet process (Chinese restaurant) with concentration θ',
  config: z.object({ concentration: z.number().positive().default(1).describe('θ: larger means more distinct elements') }),
  create: ({ concentration }): Prior => ({
    name: \`${type}(\${concentration})\`,
    seating: () => new RestaurantSeating(concentration),
    logMarginal(blockSizes) {
      let n = 0;
      let log = 0;
      for (const size of Array.from(blockSizes)) {
        n += size;
        log += Math.log(concentration) + logGamma(size);
      }
      return log + logGamma(concentration) - logGamma(concentration + n);
    },
    expectedDistinct: (n) => {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += concentration / (concentration + i);
      return sum;
    },
  }),
});

export default stageModule(${camel(type)});
`,
    test: `import { Rng } from '@kolmo/core';
import { describe, expect, it } from 'vitest';
import { ${camel(type)} } from './index.ts';

describe('${type} prior', () => {
  it('predictive probabilities sum to 1 and their product is the marginal (exchangeability)', async () => {
    const prior = await ${camel(type)}.create({ concentration: 1.5 }, undefined as never);
    const seating = prior.seating();
    const rng = new Rng(1, 'test');
    let sequential = 0;
    for (let i = 0; i < 200; i++) {
      let total = seating.probabilityNew();
      for (let k = 0; k < seating.distinct; k++) total += seating.probabilityExisting(k);
      expect(total).toBeCloseTo(1, 12);
      const element = seating.sample(rng);
      sequential += Math.log(element === seating.distinct ? seating.probabilityNew() : seating.probabilityExisting(element));
      seating.add(element);
    }
    const sizes = Array.from({ length: seating.distinct }, (_, k) => seating.count(k));
    expect(prior.logMarginal(sizes)).toBeCloseTo(sequential, 9);
  });
});
`,
  }),

  'llm-backend': (type) => ({
    description: 'a uniform model over UTF-16 code units, as a LogProbBackend (replace with your model or server)',
    specExample: `predictors: [{ type: llm, backend: { type: ${type} } }]`,
    index: `import { defineStage, stageModule, z, type LogProbBackend, type ScoreRequest, type TokenizedText } from '@kolmo/core';

/**
 * A LogProbBackend whose "model" gives every UTF-16 code unit of a vocabulary of V probability 1/V: the shape
 * of a real backend (tokenize, batched scoreTokens with context, full distributions) with nothing to download.
 * Replace the two scoring methods with calls to your model or server.
 */
export const ${camel(type)} = defineStage({
  kind: 'llm-backend',
  type: '${type}',
  description: 'a uniform model over UTF-16 code units, as a LogProbBackend (replace with your model or server)',
  config: z.object({ vocabularySize: z.number().int().min(2).max(65536).default(65536).describe('V') }),
  create: ({ vocabularySize }): LogProbBackend => {
    const logUniform = -Math.log(vocabularySize);
    return {
      identity: { id: '${type}', model: \`uniform-\${vocabularySize}\`, tokenizer: 'utf16-code-units' },
      capabilities: { maxContextTokens: 1 << 20, maxBatchSize: 64, distribution: 'full', deterministic: true, bosTokenId: 0, vocabularySize },
      async tokenize(texts): Promise<TokenizedText[]> {
        return texts.map((text) => ({
          ids: Int32Array.from(text, (_, i) => text.charCodeAt(i) % vocabularySize),
          start: Int32Array.from(text, (_, i) => i),
          end: Int32Array.from(text, (_, i) => i + 1),
        }));
      },
      async scoreTokens(requests: readonly ScoreRequest[]) {
        return requests.map(({ ids, scoreFrom }) => ({ logProbs: new Float64Array(ids.length - scoreFrom).fill(logUniform) }));
      },
      async distributions({ ids, scoreFrom }: ScoreRequest) {
        return new Float32Array((ids.length - scoreFrom + 1) * vocabularySize).fill(logUniform);
      },
    };
  },
});

export default stageModule(${camel(type)});
`,
    test: `import { describe, expect, it } from 'vitest';
import { ${camel(type)} } from './index.ts';

describe('${type} backend', () => {
  it('tokenizes with spans and scores every position after the context at ln(1/V)', async () => {
    const backend = await ${camel(type)}.create({ vocabularySize: 256 }, undefined as never);
    const [tokens] = await backend.tokenize(['héllo']);
    expect(Array.from(tokens.end).map((end, i) => 'héllo'.slice(tokens.start[i], end)).join('')).toBe('héllo');
    const ids = Int32Array.from([backend.capabilities.bosTokenId!, ...tokens.ids]);
    const [scored] = await backend.scoreTokens([{ ids, scoreFrom: 1 }]);
    expect(Array.from(scored.logProbs)).toEqual(new Array(5).fill(-Math.log(256)));
    const rows = await backend.distributions!({ ids, scoreFrom: 1 });
    expect(rows).toHaveLength(6 * 256);
    let mass = 0;
    for (let v = 0; v < 256; v++) mass += Math.exp(rows[v]);
    expect(mass).toBeCloseTo(1, 5);
  });
});
`,
  }),
};

/** `my-stage` → `myStage`, for the exported descriptor's name. */
function camel(type: string): string {
  return type.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}
