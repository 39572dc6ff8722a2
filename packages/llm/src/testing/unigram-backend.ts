import { defineStage, type BackendCapabilities, type BackendIdentity, type LogProbBackend, type ScoreRequest, type ScoredTokens, type TokenizedText } from '@kolmo/core';
import { z } from 'zod';

/**
 * A `LogProbBackend` whose "model" is a known distribution, so expected bits are computable in closed form.
 *
 * Tokenizer: the text cut into pieces of `pieceLength` UTF-16 units (the last may be shorter), which do not
 * line up with word boundaries, so alignment onto the pipeline's tokens is exercised. A piece's id encodes its
 * units (base 129, each unit's class + 1), so ids are the same in every process and call; BOS is id 0.
 * Model: units are independent, `q(unit) = weight(unit) / Z` with weight 8 for a space, 4 for a–z and 1 for
 * every other unit (non-ASCII units share one class), `Z = 8 + 26·4 + 94` over the 128 classes; a piece's
 * log-prob is the sum over its units whatever the context, so a document's bits are
 * `Σ_units −log2 q(unit)` (`unigramBits`) however it is windowed.
 *
 * For tests of the runner around it: a fixed or jittered latency per call (a seeded stream), a record of every
 * request, and counts of calls and of calls stopped by their AbortSignal.
 */
export interface UnigramBackendOptions {
  readonly model?: string;
  readonly pieceLength?: number;
  readonly maxContextTokens?: number;
  readonly maxBatchSize?: number;
  /** Whether the model has a BOS token (id 0); without one the `llm` stage needs a `prefix`. */
  readonly bos?: boolean;
  /** Return the k most likely pieces per position (`distribution: 'top-k'`). */
  readonly topK?: number;
  /** Milliseconds each call takes, plus a uniform jitter in [0, jitterMs) from a stream seeded by `seed`. */
  readonly latencyMs?: number;
  readonly jitterMs?: number;
  readonly seed?: number;
}

const classes = 128;
const spaceWeight = 8;
const letterWeight = 4;
const normalizer = spaceWeight + 26 * letterWeight + (classes - 27);

function unitClass(unit: number): number {
  return unit < classes ? unit : classes - 1;
}

function unitLogProb(cls: number): number {
  const weight = cls === 32 ? spaceWeight : cls >= 97 && cls <= 122 ? letterWeight : 1;
  return Math.log(weight / normalizer);
}

/** The closed form: −log2 q of every unit of `text`, summed (what the `llm` stage must charge the document). */
export function unigramBits(text: string): number {
  let bits = 0;
  for (let i = 0; i < text.length; i++) bits -= unitLogProb(unitClass(text.charCodeAt(i))) / Math.LN2;
  return bits;
}

/** −log2 q of each UTF-16 unit of `text`. */
export function unigramUnitBits(text: string): Float64Array {
  return Float64Array.from({ length: text.length }, (_, i) => -unitLogProb(unitClass(text.charCodeAt(i))) / Math.LN2);
}

/**
 * What the `llm` stage must give each of our tokens of `text` under this model, by its documented rule: a
 * piece's bits spread evenly over its units; a unit pays to the token holding it (a gap to the next token, the
 * tail to the last). `tokens` are our spans in UTF-16 units, in order.
 */
export function unigramTokenBits(text: string, tokens: readonly { start: number; end: number }[], pieceLength = 3): number[] {
  const unitBits = unigramUnitBits(text);
  const perUnit = new Float64Array(text.length);
  for (let s = 0; s < text.length; s += pieceLength) {
    const e = Math.min(text.length, s + pieceLength);
    let piece = 0;
    for (let u = s; u < e; u++) piece += unitBits[u];
    for (let u = s; u < e; u++) perUnit[u] = piece / (e - s);
  }
  const bits = tokens.map(() => 0);
  let k = 0;
  for (let u = 0; u < text.length; u++) {
    while (k < tokens.length - 1 && u >= tokens[k].end) k++;
    bits[k] += perUnit[u];
  }
  return bits;
}

export class UnigramBackend implements LogProbBackend {
  /** The last instance built through the stage (tests reach the shared service through it). */
  static last: UnigramBackend | undefined;
  static built = 0;

  readonly identity: BackendIdentity;
  readonly capabilities: BackendCapabilities;
  /** Every scoreTokens request, in arrival order. */
  readonly requests: ScoreRequest[] = [];
  calls = 0;
  inFlight = 0;
  maxInFlight = 0;
  aborted = 0;
  closed = false;
  private readonly pieceLength: number;
  private readonly latencyMs: number;
  private readonly jitterMs: number;
  private state: number;

  constructor(options: UnigramBackendOptions = {}) {
    this.pieceLength = options.pieceLength ?? 3;
    this.latencyMs = options.latencyMs ?? 0;
    this.jitterMs = options.jitterMs ?? 0;
    this.state = (options.seed ?? 1) >>> 0;
    const model = options.model ?? 'unigram';
    this.identity = { id: `unigram-test:${model}:pieces${this.pieceLength}${options.topK ? `:top${options.topK}` : ''}`, model, revision: 'closed-form', tokenizer: `pieces-of-${this.pieceLength}` };
    this.capabilities = {
      maxContextTokens: options.maxContextTokens ?? 64,
      maxBatchSize: options.maxBatchSize ?? 8,
      distribution: options.topK ? 'top-k' : 'token',
      topK: options.topK,
      deterministic: true,
      bosTokenId: options.bos === false ? undefined : 0,
      vocabularySize: (classes + 1) ** this.pieceLength,
    };
  }

  async tokenize(texts: readonly string[], signal?: AbortSignal): Promise<readonly TokenizedText[]> {
    await this.delay(signal);
    return texts.map((text) => {
      const n = Math.ceil(text.length / this.pieceLength);
      const ids = new Int32Array(n);
      const start = new Int32Array(n);
      const end = new Int32Array(n);
      const pieces: string[] = [];
      for (let i = 0; i < n; i++) {
        start[i] = i * this.pieceLength;
        end[i] = Math.min(text.length, start[i] + this.pieceLength);
        const piece = text.slice(start[i], end[i]);
        pieces.push(piece);
        ids[i] = this.pieceId(piece);
      }
      return { ids, start, end, pieces };
    });
  }

  async scoreTokens(requests: readonly ScoreRequest[], signal?: AbortSignal): Promise<readonly ScoredTokens[]> {
    this.requests.push(...requests.map((request) => ({ ids: request.ids.slice(), scoreFrom: request.scoreFrom })));
    await this.delay(signal);
    const k = this.capabilities.topK ?? 0;
    const top = k ? this.topPieces(k) : undefined;
    return requests.map(({ ids, scoreFrom }) => {
      const logProbs = Float64Array.from(ids.subarray(scoreFrom), (id) => this.idLogProb(id));
      if (!top) return { logProbs };
      const n = logProbs.length;
      const topIds = new Int32Array(n * k);
      const topLogProbs = new Float64Array(n * k);
      for (let i = 0; i < n; i++) {
        topIds.set(top.ids, i * k);
        topLogProbs.set(top.logProbs, i * k);
      }
      return { logProbs, topIds, topLogProbs };
    });
  }

  close(): void {
    this.closed = true;
  }

  private pieceId(piece: string): number {
    let id = 0;
    for (let i = 0; i < this.pieceLength; i++) id = id * (classes + 1) + (i < piece.length ? unitClass(piece.charCodeAt(i)) + 1 : 0);
    return id;
  }

  private idLogProb(id: number): number {
    let logProb = 0;
    for (let i = 0; i < this.pieceLength; i++, id = Math.floor(id / (classes + 1))) {
      const digit = id % (classes + 1);
      if (digit > 0) logProb += unitLogProb(digit - 1);
    }
    return logProb;
  }

  /** The k most likely full-length pieces (over space and a–c, enough for k ≤ 64), most likely first, ties by id. */
  private topPieces(k: number): { ids: Int32Array; logProbs: Float64Array } {
    const alphabet = ' abc';
    let pieces = [''];
    for (let i = 0; i < this.pieceLength; i++) pieces = pieces.flatMap((p) => [...alphabet].map((c) => p + c));
    const ranked = pieces.map((piece) => ({ id: this.pieceId(piece), logProb: this.idLogProb(this.pieceId(piece)) })).sort((a, b) => b.logProb - a.logProb || a.id - b.id);
    const chosen = ranked.slice(0, k);
    return { ids: Int32Array.from(chosen, (c) => c.id), logProbs: Float64Array.from(chosen, (c) => c.logProb) };
  }

  /** Waits the call's latency; an abort ends the wait at once and rejects with the signal's reason. */
  private async delay(signal?: AbortSignal): Promise<void> {
    this.calls++;
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      signal?.throwIfAborted();
      const ms = this.latencyMs + this.jitterMs * this.uniform();
      if (ms <= 0) return;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        }, ms);
        const onAbort = () => {
          clearTimeout(timer);
          this.aborted++;
          reject(signal!.reason);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    } finally {
      this.inFlight--;
    }
  }

  /** Mulberry32: a small seeded stream, enough to shuffle completion order reproducibly. */
  private uniform(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}

export const unigramBackendStage = defineStage({
  kind: 'llm-backend',
  type: 'unigram-test',
  description: 'for tests: a closed-form unigram model over UTF-16 units, tokenized into fixed-length pieces (no network, no weights)',
  config: z.object({
    model: z.string().default('unigram').describe('a name for the identity (a sweep may vary it)'),
    pieceLength: z.number().int().min(1).max(3).default(3).describe('UTF-16 units per token'),
    maxContextTokens: z.number().int().min(2).default(64).describe('the context window'),
    maxBatchSize: z.number().int().min(1).default(8).describe('requests per call'),
    bos: z.boolean().default(true).describe('whether the model has a BOS token (id 0)'),
    topK: z.number().int().min(1).max(64).optional().describe('return the k most likely pieces per position'),
    latencyMs: z.number().min(0).default(0).describe('milliseconds per call'),
    jitterMs: z.number().min(0).default(0).describe('plus a seeded uniform jitter in [0, jitterMs)'),
    seed: z.number().int().default(1).describe('seed of the jitter'),
  }),
  create: (options) => {
    const backend = new UnigramBackend(options);
    UnigramBackend.last = backend;
    UnigramBackend.built++;
    return backend;
  },
});
