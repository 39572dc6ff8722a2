import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng, type DocumentBatch, type ScoredBatch, type SinkRecord, type StageContext, type TokenBatch, type Tokenizer } from '../index.ts';

/** For tests: records shaped like a real run's (empty documents, non-ASCII text, ground truth), from a seed. */
export interface SampleOptions {
  readonly batches: number;
  readonly documentsPerBatch: number;
  readonly predictors: readonly string[];
  readonly trueBits?: boolean;
  readonly groundTruth?: boolean;
  readonly maxTokensPerDocument?: number;
  readonly vocabularySize?: number;
  readonly seed?: number;
}

const alphabet = ['a', 'b', 'é', '中', '😀', ' ', 'z', '"', '\\', '\n'];

export function* sampleRecords(options: SampleOptions): Generator<SinkRecord> {
  const { batches, documentsPerBatch, predictors, trueBits = true, groundTruth = true, maxTokensPerDocument = 12, vocabularySize = 1000 } = options;
  const rng = new Rng(options.seed ?? 7, 'sample-records');
  let first = 0;
  for (let b = 0; b < batches; b++) {
    const text: string[] = [];
    const lengths: number[] = [];
    for (let d = 0; d < documentsPerBatch; d++) {
      const length = rng.nextInt(maxTokensPerDocument + 1); // 0 makes an empty document
      lengths.push(length);
      let s = '';
      for (let t = 0; t < length; t++) s += alphabet[rng.nextInt(alphabet.length)];
      text.push(s);
    }
    const columns: DocumentBatch['columns'] = groundTruth
      ? {
          element: Int32Array.from(text, () => rng.nextInt(50) - 1),
          isNew: Uint8Array.from(text, () => rng.nextInt(2)),
          knowledgeBits: Float64Array.from(text, () => rng.nextFloat() * 40),
          template: text.map((_, d) => `t${(first + d) % 3}`),
        }
      : {};
    const documents: DocumentBatch = { first, text, columns };
    const n = lengths.reduce((a, b) => a + b, 0);
    const tokens: TokenBatch = {
      length: n,
      ids: new Int32Array(n),
      doc: new Int32Array(n),
      slot: new Uint8Array(n),
      start: new Int32Array(n),
      end: new Int32Array(n),
      offsetUnit: 'utf16',
      trueBits: trueBits ? new Float64Array(n) : undefined,
      documents,
    };
    let i = 0;
    lengths.forEach((length, d) => {
      for (let t = 0; t < length; t++, i++) {
        tokens.ids[i] = rng.nextInt(vocabularySize);
        tokens.doc[i] = first + d;
        tokens.slot[i] = rng.nextInt(4);
        tokens.start[i] = t;
        tokens.end[i] = t + 1;
        if (tokens.trueBits) tokens.trueBits[i] = rng.nextFloat() * 16;
      }
    });
    const scored: ScoredBatch[] = predictors.map((predictor) => ({
      predictor,
      tokens,
      bits: Float64Array.from({ length: n }, () => -Math.log2(rng.nextOpenFloat())),
    }));
    yield { documents, tokens, scored };
    first += documentsPerBatch;
  }
}

const runFolders: string[] = [];

/** A stage context for a sink under test, writing into a fresh temporary run folder. */
export function sampleContext(tokenizer?: Tokenizer): StageContext {
  const runDir = mkdtempSync(join(tmpdir(), 'kolmo-sink-'));
  runFolders.push(runDir);
  const root = new Rng(11);
  return {
    runDir,
    specDir: runDir,
    point: {},
    seed: 11,
    rng: (name) => root.split(name),
    signal: new AbortController().signal,
    log: { info: () => undefined, warn: () => undefined },
    create: () => Promise.reject(new Error('no nested components in sink tests')),
    upstream: tokenizer ? { tokenizer } : {},
  };
}

/** Removes every run folder sampleContext made (call from afterAll). */
export function removeSampleRunFolders(): void {
  for (const folder of runFolders.splice(0)) rmSync(folder, { recursive: true, force: true });
}
