import {
  KolmoError,
  type BackendCapabilities,
  type BackendIdentity,
  type LogProbBackend,
  type ScoreRequest,
  type ScoredTokens,
  type TokenizedText,
} from '@kolmo/core';
import type { LogitsEngine } from './logits-engine.ts';
import { logNormalizer, logSoftmaxInto } from './log-softmax.ts';

/** Text → the model's tokens with UTF-16 spans; `where` names the text in errors. */
export interface TextTokenizer {
  tokenize(text: string, where: string): TokenizedText;
  /** The text of ids (the inverse of tokenize for texts it gave). */
  detokenize(ids: ArrayLike<number>): string;
}

/**
 * A `LogProbBackend` over an in-process logits engine: full next-token distributions (ln softmax of the logits,
 * in doubles), deterministic, batched up to `maxBatchSize` sequences per engine call. Engine calls are queued
 * one at a time (an ONNX session or a llama.cpp context is not safe to run concurrently), so concurrent callers
 * get the same numbers as sequential ones.
 */
export class InProcessBackend implements LogProbBackend {
  readonly identity: BackendIdentity;
  readonly capabilities: BackendCapabilities;
  private readonly tokenizer: TextTokenizer;
  private readonly engine: LogitsEngine;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(identity: BackendIdentity, capabilities: BackendCapabilities, tokenizer: TextTokenizer, engine: LogitsEngine) {
    this.identity = identity;
    this.capabilities = capabilities;
    this.tokenizer = tokenizer;
    this.engine = engine;
  }

  async tokenize(texts: readonly string[], signal?: AbortSignal): Promise<readonly TokenizedText[]> {
    signal?.throwIfAborted();
    return texts.map((text, i) => this.tokenizer.tokenize(text, `${this.identity.id}: text ${i}`));
  }

  /** The text of token ids (what decoding a coded text needs). */
  detokenize(ids: ArrayLike<number>): string {
    return this.tokenizer.detokenize(ids);
  }

  async scoreTokens(requests: readonly ScoreRequest[], signal?: AbortSignal): Promise<readonly ScoredTokens[]> {
    requests.forEach((request, r) => this.check(request, r));
    const size = this.engine.vocabularySize;
    const results: ScoredTokens[] = [];
    for (let from = 0; from < requests.length; from += this.capabilities.maxBatchSize) {
      const batch = requests.slice(from, from + this.capabilities.maxBatchSize);
      const logits = await this.run(batch.map((request) => request.ids), signal, batch.map((request) => request.scoreFrom - 1));
      batch.forEach((request, b) => {
        const rows = logits[b]!;
        const logProbs = new Float64Array(request.ids.length - request.scoreFrom);
        for (let i = request.scoreFrom; i < request.ids.length; i++) {
          const row = (i - 1) * size;
          logProbs[i - request.scoreFrom] = rows[row + request.ids[i]!]! - logNormalizer(rows, row, size);
        }
        const bad = logProbs.findIndex((x) => !(x <= 0) || !Number.isFinite(x));
        if (bad >= 0) {
          throw new KolmoError('failed', `${this.identity.id}: request ${from + b}: the model gave log-prob ${logProbs[bad]} at position ${request.scoreFrom + bad} (not finite and ≤ 0)`);
        }
        results.push({ logProbs });
      });
    }
    return results;
  }

  async distributions(request: ScoreRequest, signal?: AbortSignal): Promise<Float32Array> {
    this.check(request, 0);
    const size = this.engine.vocabularySize;
    const [rows] = await this.run([request.ids], signal, [request.scoreFrom - 1]);
    const first = request.scoreFrom - 1;
    const out = new Float32Array((request.ids.length - first) * size);
    for (let i = first; i < request.ids.length; i++) logSoftmaxInto(rows!, i * size, size, out, (i - first) * size);
    return out;
  }

  close(): Promise<void> {
    return this.enqueue(async () => this.engine.close?.());
  }

  private run(sequences: readonly Int32Array[], signal: AbortSignal | undefined, firstRows: readonly number[]): Promise<readonly Float32Array[]> {
    return this.enqueue(() => {
      signal?.throwIfAborted();
      return this.engine.logits(sequences, signal, firstRows);
    });
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private check(request: ScoreRequest, index: number): void {
    const { ids, scoreFrom } = request;
    const where = `${this.identity.id}: request ${index}`;
    const max = this.capabilities.maxContextTokens;
    if (ids.length > max) throw new KolmoError('input', `${where}: ${ids.length} tokens exceed the model's context of ${max}`);
    if (!Number.isInteger(scoreFrom) || scoreFrom < 1 || scoreFrom > ids.length) {
      throw new KolmoError('input', `${where}: scoreFrom ${scoreFrom} must be in [1, ${ids.length}] (the first token is context only)`);
    }
    const size = this.engine.vocabularySize;
    const bad = ids.findIndex((id) => id < 0 || id >= size);
    if (bad >= 0) throw new KolmoError('input', `${where}: token id ${ids[bad]} at position ${bad} is outside the vocabulary [0, ${size})`);
  }
}
