import { KolmoError, type LogProbBackend, type ScoreRequest, type ScoredTokens, type TokenizedText } from '@kolmo/core';
import type pLimit from 'p-limit';
import type { ScoredDocument } from './scored-document.ts';
import { slidingWindows, type Window } from './windows.ts';

export interface DocumentScorerOptions {
  readonly backend: LogProbBackend;
  /** Token ids before every document (BOS and/or the prefix's tokens): context only, never paid for. */
  readonly contextIds: Int32Array;
  /** Tokens per request (the context window used). */
  readonly windowTokens: number;
  readonly stride: number;
  /** Bounds the backend calls in flight, shared by every batch this stage scores. */
  readonly limit: ReturnType<typeof pLimit>;
}

interface Planned {
  readonly document: number;
  readonly window: Window;
  readonly request: ScoreRequest;
}

/**
 * Scores whole texts with a backend: its tokenizer, sliding windows over context ++ text, and batched
 * `scoreTokens` calls (up to `capabilities.maxBatchSize` requests each, at most `limit` calls at once).
 * Checks what comes back (spans tile the text, one finite log-prob ≤ 0 per scored token), so a wrong answer
 * stops the run with an error naming the document rather than becoming a wrong number.
 */
export class DocumentScorer {
  private readonly options: DocumentScorerOptions;
  /** Backend calls made, for the log (not a metric: it depends on what the cache held). */
  calls = 0;

  constructor(options: DocumentScorerOptions) {
    this.options = options;
  }

  async score(texts: readonly string[], names: readonly string[], signal: AbortSignal): Promise<ScoredDocument[]> {
    const { backend, contextIds, windowTokens, stride, limit } = this.options;
    const batch = Math.max(1, backend.capabilities.maxBatchSize);
    const call = <T>(task: () => Promise<T>) =>
      limit(() => {
        signal.throwIfAborted();
        this.calls++;
        return task();
      });

    const tokenized: TokenizedText[] = [];
    const tokenizing: Promise<void>[] = [];
    for (let from = 0; from < texts.length; from += batch) {
      const chunk = texts.slice(from, from + batch);
      tokenizing.push(
        call(() => backend.tokenize(chunk, signal)).then((result) => {
          if (result.length !== chunk.length) throw this.fault(names[from], `tokenize returned ${result.length} results for ${chunk.length} texts`);
          result.forEach((tokens, i) => (tokenized[from + i] = tokens));
        }),
      );
    }
    await settle(tokenizing);
    tokenized.forEach((tokens, i) => checkTiling(tokens, texts[i].length, (what) => this.fault(names[i], what)));

    const planned: Planned[] = [];
    tokenized.forEach((tokens, document) => {
      const ids = new Int32Array(contextIds.length + tokens.ids.length);
      ids.set(contextIds);
      ids.set(tokens.ids, contextIds.length);
      for (const window of slidingWindows(ids.length, contextIds.length, windowTokens, stride)) {
        planned.push({ document, window, request: { ids: ids.subarray(window.from, window.to), scoreFrom: window.scoreFrom } });
      }
    });
    const logProbs = tokenized.map((tokens) => new Float64Array(tokens.ids.length));
    const topK = backend.capabilities.distribution === 'top-k' ? (backend.capabilities.topK ?? 0) : 0;
    const topIds = topK ? tokenized.map((tokens) => new Int32Array(tokens.ids.length * topK)) : undefined;
    const topLogProbs = topK ? tokenized.map((tokens) => new Float64Array(tokens.ids.length * topK)) : undefined;
    const scoring: Promise<void>[] = [];
    for (let from = 0; from < planned.length; from += batch) {
      const chunk = planned.slice(from, from + batch);
      scoring.push(
        call(() => backend.scoreTokens(chunk.map((p) => p.request), signal)).then((result) => {
          if (result.length !== chunk.length) throw this.fault(names[chunk[0].document], `scoreTokens returned ${result.length} results for ${chunk.length} requests`);
          chunk.forEach(({ document, window }, i) => {
            const scored = result[i];
            // Position p of context ++ text is the text's token p − |context|.
            const first = window.from + window.scoreFrom - contextIds.length;
            checkScored(scored, window, topK, (what) => this.fault(names[document], what));
            logProbs[document].set(scored.logProbs, first);
            if (topK && scored.topIds && scored.topLogProbs) {
              topIds![document].set(scored.topIds, first * topK);
              topLogProbs![document].set(scored.topLogProbs, first * topK);
            }
          });
        }),
      );
    }
    await settle(scoring);
    return tokenized.map((tokens, document) => ({
      ids: tokens.ids,
      start: tokens.start,
      end: tokens.end,
      logProbs: logProbs[document],
      pieces: tokens.pieces,
      topIds: topIds?.[document],
      topLogProbs: topLogProbs?.[document],
    }));
  }

  private fault(document: string, what: string): KolmoError {
    return new KolmoError('failed', `llm backend ${this.options.backend.identity.id}, ${document}: ${what}`);
  }
}

/** Awaits every call; the first failure wins, and the others' failures are not left unhandled. */
async function settle(calls: readonly Promise<void>[]): Promise<void> {
  const results = await Promise.allSettled(calls);
  for (const result of results) if (result.status === 'rejected') throw result.reason;
}

function checkTiling(tokens: TokenizedText, length: number, fault: (what: string) => KolmoError): void {
  const n = tokens.ids.length;
  if (tokens.start.length !== n || tokens.end.length !== n) throw fault(`tokenize gave ${n} ids but ${tokens.start.length} starts and ${tokens.end.length} ends`);
  let at = 0;
  for (let i = 0; i < n; i++) {
    if (tokens.start[i] !== at || tokens.end[i] < at) throw fault(`token ${i} spans [${tokens.start[i]}, ${tokens.end[i]}) but the text continues at ${at}: spans must tile the text`);
    at = tokens.end[i];
  }
  if (at !== length) throw fault(`the tokens cover ${at} of the text's ${length} characters: every character must be paid for`);
}

function checkScored(scored: ScoredTokens, window: Window, topK: number, fault: (what: string) => KolmoError): void {
  const expected = window.to - window.from - window.scoreFrom;
  if (scored.logProbs.length !== expected) throw fault(`${scored.logProbs.length} log-probs for ${expected} scored tokens`);
  for (let i = 0; i < expected; i++) {
    const value = scored.logProbs[i];
    if (!(Number.isFinite(value) && value <= 0)) throw fault(`log-prob ${value} at token ${window.from + window.scoreFrom + i} is not finite and ≤ 0`);
  }
  if (topK && scored.topIds && scored.topIds.length !== expected * topK) throw fault(`${scored.topIds.length} top-k ids for ${expected} tokens × k = ${topK}`);
}
