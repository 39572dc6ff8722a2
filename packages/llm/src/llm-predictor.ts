import { setMaxListeners } from 'node:events';
import { componentField, defineStage, KolmoError, type BackendTokenTable, type LogProbBackend, type Logger, type Predictor, type TokenBatch } from '@kolmo/core';
import pLimit from 'p-limit';
import { z } from 'zod';
import { alignBits, utf8Offsets } from './alignment.ts';
import { DocumentScorer } from './document-scorer.ts';
import { ScoreCache } from './score-cache.ts';
import type { ScoredDocument } from './scored-document.ts';

const config = z.object({
  backend: componentField('llm-backend').describe('the log-prob backend: { type: <llm-backend type>, …its fields } (an HTTP server adapter or an in-process model)'),
  prefix: z
    .string()
    .min(1)
    .optional()
    .describe("text whose tokens go before every document as context, not paid for (needed when the backend has no BOS token; used after BOS when it has one)"),
  contextTokens: z
    .number()
    .int()
    .min(2)
    .optional()
    .describe("tokens per request, context included (default and maximum: the backend's context window)"),
  stride: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe('for documents longer than the window: new tokens scored per further window; each has at least contextTokens − stride tokens of left context (default contextTokens / 2)'),
  concurrency: z.number().int().min(1).default(4).describe('backend calls in flight at once (each carries up to the backend\'s maxBatchSize requests)'),
  batchesInFlight: z.number().int().min(1).default(4).describe('token batches scored at once (the runner keeps results in document order)'),
  cache: z.boolean().default(true).describe('keep scored documents in the run\'s cache folder (off for every stage with `kolmo run --no-cache`)'),
});

export type LlmPredictorConfig = z.output<typeof config>;

/** Per-token bits of one token batch, in the batch's order, and the backend's token tables of its documents. */
interface DocumentRange {
  readonly index: number;
  readonly text: string;
  readonly from: number;
  readonly to: number;
}

/**
 * A language model behind a `LogProbBackend` as a predictor (frozen: its scores do not depend on earlier
 * batches, so the runner keeps several batches in flight). Each document is scored on its own with the
 * backend's tokenizer after a context (BOS and/or `prefix`), so every character of the text is paid for;
 * the backend's bits are then moved onto the pipeline's tokens by character spans (`alignBits`), so per-slot
 * bits and every analysis sink work for an LLM as for any predictor. Nothing at the end of a document is
 * scored (no end-of-text token): document boundaries are known from the corpus.
 */
export class LlmPredictor implements Predictor {
  readonly frozen = true;
  readonly batchesInFlight: number;
  private readonly backend: LogProbBackend;
  private readonly scorer: DocumentScorer;
  private readonly cache: ScoreCache | undefined;
  private readonly settings: unknown;
  private readonly controller = new AbortController();
  private readonly log: Logger;
  private readonly stopOnRunAbort: () => void;
  private readonly runSignal: AbortSignal;
  private readonly windowTokens: number;
  private readonly stride: number;
  private readonly contextTokens: number;
  /** Each scored batch's backend token table, until the runner takes it (keyed by the bits array handed out). */
  private readonly tables = new WeakMap<Float64Array, BackendTokenTable>();
  private documents = 0;
  private backendTokenCount = 0;
  private cached = 0;

  constructor(backend: LogProbBackend, options: { contextIds: Int32Array; windowTokens: number; stride: number; concurrency: number; batchesInFlight: number; prefix?: string; cache?: ScoreCache; signal: AbortSignal; log: Logger }) {
    this.backend = backend;
    this.batchesInFlight = options.batchesInFlight;
    this.cache = options.cache;
    this.log = options.log;
    const { contextIds, windowTokens, stride } = options;
    this.windowTokens = windowTokens;
    this.stride = stride;
    this.contextTokens = contextIds.length;
    this.scorer = new DocumentScorer({ backend, contextIds, windowTokens, stride, limit: pLimit(options.concurrency) });
    // Everything besides the text that changes the bits: the cache key's other half.
    this.settings = { backend: backend.identity.id, prefix: options.prefix ?? null, context: Array.from(contextIds), window: windowTokens, stride };
    // Ctrl-C (the run's signal) and close() both cancel the requests in flight. Every call in flight listens.
    setMaxListeners(Math.max(10, 4 * options.concurrency * options.batchesInFlight), this.controller.signal);
    this.runSignal = options.signal;
    this.stopOnRunAbort = () => this.controller.abort(options.signal.reason);
    if (options.signal.aborted) this.stopOnRunAbort();
    else options.signal.addEventListener('abort', this.stopOnRunAbort, { once: true });
  }

  score(tokens: TokenBatch): Promise<Float64Array> {
    return this.scoreBatch(tokens);
  }

  /** The same as `score`: a frozen model learns nothing, so held-out documents and QA candidates score alike. */
  evaluate(tokens: TokenBatch): Promise<Float64Array> {
    return this.scoreBatch(tokens);
  }

  /**
   * The settings only. Running counts would not be reproducible: sinks read statistics while later batches are
   * still being scored (how far is a matter of timing), and cache hits differ between a fresh and a resumed run.
   */
  backendTokens(bits: Float64Array): BackendTokenTable | undefined {
    const table = this.tables.get(bits);
    this.tables.delete(bits);
    return table;
  }

  statistics(): Record<string, number> {
    return { window_tokens: this.windowTokens, stride: this.stride, context_tokens: this.contextTokens };
  }

  close(): void {
    this.runSignal.removeEventListener('abort', this.stopOnRunAbort);
    this.controller.abort(new Error('the llm predictor was closed'));
    if (this.documents > 0) this.log.info(`llm ${this.backend.identity.id}: ${this.documents} documents (${this.backendTokenCount} backend tokens), ${this.cached} from the cache, ${this.scorer.calls} backend calls`);
  }

  private async scoreBatch(tokens: TokenBatch): Promise<Float64Array> {
    const ranges = documentRanges(tokens);
    const scored = await this.scoreDocuments(ranges);
    const bits = new Float64Array(tokens.length);
    this.tables.set(bits, tokenTable(ranges, scored));
    ranges.forEach((range, d) => {
      const document = scored[d];
      const count = range.to - range.from;
      const ours = { start: tokens.start.subarray(range.from, range.to), end: tokens.end.subarray(range.from, range.to) };
      const theirBits = document.logProbs.map((lnq) => -lnq / Math.LN2);
      let theirs: { start: ArrayLike<number>; end: ArrayLike<number> } = document;
      let length = range.text.length;
      if (tokens.offsetUnit === 'utf8') {
        const bytes = utf8Offsets(range.text);
        theirs = { start: Array.from(document.start, (i) => bytes[i]), end: Array.from(document.end, (i) => bytes[i]) };
        length = bytes[range.text.length];
      }
      bits.set(alignBits(ours, count, length, theirs, theirBits, `document ${range.index}`), range.from);
      this.documents++;
      this.backendTokenCount += document.ids.length;
    });
    return bits;
  }

  /** Each document from the cache if it is there, else from the backend (and then into the cache). */
  private async scoreDocuments(ranges: readonly DocumentRange[]): Promise<ScoredDocument[]> {
    const signal = this.controller.signal;
    signal.throwIfAborted();
    const keys = this.cache ? ranges.map((range) => ScoreCache.key(range.text, this.settings)) : [];
    const found = this.cache ? await Promise.all(keys.map((key) => this.cache!.get(key))) : ranges.map(() => undefined);
    const missing = ranges.flatMap((_, d) => (found[d] ? [] : [d]));
    this.cached += ranges.length - missing.length;
    if (missing.length) {
      const fresh = await this.scorer.score(
        missing.map((d) => ranges[d].text),
        missing.map((d) => `document ${ranges[d].index}`),
        signal,
      );
      missing.forEach((d, i) => (found[d] = fresh[i]));
      if (this.cache) await Promise.all(missing.map((d, i) => this.cache!.put(keys[d], fresh[i])));
    }
    return found as ScoredDocument[];
  }
}

/** The backend's tokens of a batch's documents, in document order, bits in log2. */
function tokenTable(ranges: readonly DocumentRange[], scored: readonly ScoredDocument[]): BackendTokenTable {
  const n = scored.reduce((total, document) => total + document.ids.length, 0);
  const topK = scored.every((document) => document.topIds) && scored.length > 0 ? scored[0].topIds!.length / Math.max(1, scored[0].ids.length) || 0 : 0;
  const table = {
    length: n,
    doc: new Int32Array(n),
    position: new Int32Array(n),
    id: new Int32Array(n),
    start: new Int32Array(n),
    end: new Int32Array(n),
    bits: new Float64Array(n),
    piece: scored.every((document) => document.pieces) ? ([] as string[]) : undefined,
    topK,
    topIds: topK ? new Int32Array(n * topK) : undefined,
    topBits: topK ? new Float64Array(n * topK) : undefined,
  };
  let row = 0;
  scored.forEach((document, d) => {
    const count = document.ids.length;
    table.doc.fill(ranges[d].index, row, row + count);
    for (let i = 0; i < count; i++) table.position[row + i] = i;
    table.id.set(document.ids, row);
    table.start.set(document.start, row);
    table.end.set(document.end, row);
    for (let i = 0; i < count; i++) table.bits[row + i] = -document.logProbs[i] / Math.LN2;
    table.piece?.push(...document.pieces!);
    if (topK && document.topIds && document.topLogProbs && document.topIds.length === count * topK) {
      table.topIds!.set(document.topIds, row * topK);
      for (let i = 0; i < count * topK; i++) table.topBits![row * topK + i] = -document.topLogProbs[i] / Math.LN2;
    }
    row += count;
  });
  return table;
}

/** The documents of a token batch and the range of their tokens (a batch never splits a document; tokens are in document order). */
function documentRanges(tokens: TokenBatch): DocumentRange[] {
  const { documents, doc } = tokens;
  const ranges: DocumentRange[] = [];
  let i = 0;
  for (let d = 0; d < documents.text.length; d++) {
    const index = documents.first + d;
    const from = i;
    while (i < tokens.length && doc[i] === index) i++;
    ranges.push({ index, text: documents.text[d], from, to: i });
  }
  if (i !== tokens.length) throw new KolmoError('input', `llm: token ${i} belongs to document ${doc[i]}, which is not in its batch's documents (${documents.first}…${documents.first + documents.text.length - 1}) in order`);
  return ranges;
}

export const llmPredictorStage = defineStage({
  kind: 'predictor',
  type: 'llm',
  description: 'a language model behind an llm-backend (HTTP server or in-process): its log-probs, aligned onto our tokens by character spans',
  config,
  create: async (options, context): Promise<LlmPredictor> => {
    const backend = await context.create('llm-backend', options.backend, 'predictor.backend');
    const { capabilities, identity } = backend;
    const contextIds: number[] = [];
    if (capabilities.bosTokenId !== undefined) contextIds.push(capabilities.bosTokenId);
    if (options.prefix !== undefined) {
      const [prefix] = await backend.tokenize([options.prefix], context.signal);
      if (prefix.ids.length === 0) throw new KolmoError('invalidSpec', `llm.prefix: backend ${identity.id} tokenizes ${JSON.stringify(options.prefix)} into no token`);
      contextIds.push(...prefix.ids);
    }
    if (contextIds.length === 0) {
      throw new KolmoError(
        'invalidSpec',
        `llm: backend ${identity.id} has no BOS token, so the first token of each document would have no context and could not be scored; set \`prefix\` (e.g. prefix: "\\n") to give it one`,
      );
    }
    const windowTokens = options.contextTokens ?? capabilities.maxContextTokens;
    if (windowTokens > capabilities.maxContextTokens) {
      throw new KolmoError('invalidSpec', `llm.contextTokens: ${windowTokens} is more than backend ${identity.id}'s context window (${capabilities.maxContextTokens} tokens)`);
    }
    if (contextIds.length >= windowTokens) {
      throw new KolmoError('invalidSpec', `llm: the context before each document (${contextIds.length} tokens: BOS and prefix) leaves no room in a window of ${windowTokens} tokens`);
    }
    const stride = options.stride ?? Math.max(1, Math.floor(windowTokens / 2));
    if (stride > windowTokens - 1) throw new KolmoError('invalidSpec', `llm.stride: ${stride} must be less than contextTokens (${windowTokens}), so that every window keeps left context`);
    const cache = options.cache && context.cacheDir ? new ScoreCache(context.cacheDir, identity.id) : undefined;
    return new LlmPredictor(backend, {
      contextIds: Int32Array.from(contextIds),
      windowTokens,
      stride,
      concurrency: options.concurrency,
      batchesInFlight: options.batchesInFlight,
      prefix: options.prefix,
      cache,
      signal: context.signal,
      log: context.log,
    });
  },
});
