import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DocumentBatch, LogProbBackend, StageContext, TokenBatch } from '@kolmo/core';
import { BytesTokenizer } from '@kolmo/tokenizer';
import { afterAll, describe, expect, it } from 'vitest';
import { llmPredictorStage, type LlmPredictor } from './llm-predictor.ts';
import { UnigramBackend, unigramBits, unigramTokenBits } from './testing/index.ts';

const folders: string[] = [];
afterAll(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));

/** A stage context that hands the predictor one backend, as the service scope would. */
function contextFor(backend: LogProbBackend, signal = new AbortController().signal, cacheDir?: string): StageContext {
  return { create: async () => backend, signal, log: { info: () => undefined, warn: () => undefined }, cacheDir } as unknown as StageContext;
}

async function predictor(backend: LogProbBackend, config: Record<string, unknown> = {}, signal?: AbortSignal, cacheDir?: string): Promise<LlmPredictor> {
  return (await llmPredictorStage.create(llmPredictorStage.config.parse({ backend: { type: 'unigram-test' }, ...config }), contextFor(backend, signal, cacheDir))) as LlmPredictor;
}

/** Word tokens the way the slot-word grammar cuts them: a word with the space before it; punctuation on its own. */
function words(documents: DocumentBatch): TokenBatch {
  const rows: { doc: number; start: number; end: number }[] = [];
  documents.text.forEach((text, d) => {
    for (const match of text.matchAll(/ ?[A-Za-z]+|[^A-Za-z ]| +$/g)) rows.push({ doc: documents.first + d, start: match.index, end: match.index + match[0].length });
  });
  const n = rows.length;
  return {
    length: n,
    ids: new Int32Array(n),
    doc: Int32Array.from(rows, (r) => r.doc),
    slot: new Uint8Array(n),
    start: Int32Array.from(rows, (r) => r.start),
    end: Int32Array.from(rows, (r) => r.end),
    offsetUnit: 'utf16',
    documents,
  };
}

const texts = ['Ada Lovelace was born in London.', 'She studied mathematics, and wrote the first program!', '', 'x', 'Charles Babbage designed the analytical engine in 1837 .'];
const batch: DocumentBatch = { first: 10, text: texts, columns: {} };

describe('the llm predictor', () => {
  it('gives per-token and per-document bits equal to the closed form, splitting backend pieces over word tokens', async () => {
    const backend = new UnigramBackend();
    const llm = await predictor(backend);
    const tokens = words(batch);
    const bits = await llm.score(tokens);
    let i = 0;
    texts.forEach((text, d) => {
      const own: { start: number; end: number }[] = [];
      for (; i < tokens.length && tokens.doc[i] === batch.first + d; i++) own.push({ start: tokens.start[i], end: tokens.end[i] });
      const got = Array.from(bits.subarray(i - own.length, i));
      const expected = unigramTokenBits(text, own, 3);
      got.forEach((b, k) => expect(b).toBeCloseTo(expected[k], 10));
      const total = got.reduce((a, b) => a + b, 0);
      expect(Math.abs(total - unigramBits(text))).toBeLessThanOrEqual(1e-9 * Math.max(1, unigramBits(text)));
    });
    expect(llm.statistics()).toEqual({ window_tokens: 64, stride: 32, context_tokens: 1 });
  });

  it('windows long documents: same bits, every token scored once with at least contextTokens − stride tokens of left context', async () => {
    const long = { first: 0, text: [texts.join(' ').repeat(6), texts[1]], columns: {} };
    const whole = await (await predictor(new UnigramBackend({ maxContextTokens: 4096 }))).score(words(long));
    const backend = new UnigramBackend({ maxContextTokens: 16 });
    const windowed = await (await predictor(backend, { stride: 5 })).score(words(long));
    Array.from(windowed).forEach((b, i) => expect(b).toBeCloseTo(whole[i], 10));
    // Alone, the long document's windows arrive in order: rebuild where each sits and check it against the ids.
    const alone = new UnigramBackend({ maxContextTokens: 16, maxBatchSize: 1 });
    await (await predictor(alone, { stride: 5, concurrency: 1 })).score(words({ first: 0, text: [long.text[0]], columns: {} }));
    const full = Int32Array.of(0, ...(await alone.tokenize([long.text[0]]))[0].ids);
    const seen = new Int32Array(full.length);
    let to = 0;
    alone.requests.forEach((request, w) => {
      const from = w === 0 ? 0 : to + (request.ids.length - request.scoreFrom) - request.ids.length;
      to = from + request.ids.length;
      expect(Array.from(request.ids)).toEqual(Array.from(full.subarray(from, to)));
      expect(request.ids.length).toBeLessThanOrEqual(16);
      expect(request.scoreFrom).toBeGreaterThanOrEqual(w === 0 ? 1 : 16 - 5);
      for (let p = from + request.scoreFrom; p < to; p++) seen[p]++;
    });
    expect(alone.requests.length).toBeGreaterThan(10);
    expect(Array.from(seen)).toEqual(Array.from(full, (_, p) => (p === 0 ? 0 : 1)));
  });

  it('takes the first token\'s context from a prefix when the backend has no BOS, and does not charge the prefix', async () => {
    await expect(predictor(new UnigramBackend({ bos: false }))).rejects.toThrow(/has no BOS token.*set `prefix`/);
    const llm = await predictor(new UnigramBackend({ bos: false }), { prefix: 'Biography:\n' });
    const bits = await llm.score(words(batch));
    expect(bits.reduce((a, b) => a + b, 0)).toBeCloseTo(texts.reduce((s, t) => s + unigramBits(t), 0), 9);
  });

  it('aligns onto byte tokens (UTF-8 offsets): each byte pays its share and the document total is conserved', async () => {
    const documents = { first: 0, text: ['héllo wörld 中文 😀!', 'abc'], columns: {} };
    const tokens = new BytesTokenizer().tokenize(documents);
    const bits = await (await predictor(new UnigramBackend({ pieceLength: 2 }))).score(tokens);
    documents.text.forEach((text, d) => {
      let total = 0;
      for (let i = 0; i < tokens.length; i++) if (tokens.doc[i] === d) total += bits[i];
      expect(Math.abs(total - unigramBits(text))).toBeLessThanOrEqual(1e-9 * unigramBits(text));
    });
  });

  it('gives identical bits when responses arrive late and out of order (jittered latency, many calls at once)', async () => {
    const tokens = words({ first: 0, text: Array.from({ length: 40 }, (_, i) => texts[i % texts.length] + ` number ${i}`), columns: {} });
    const calm = await (await predictor(new UnigramBackend({ maxBatchSize: 2 }))).score(tokens);
    const jittery = new UnigramBackend({ maxBatchSize: 2, latencyMs: 1, jitterMs: 20, seed: 3 });
    const late = await (await predictor(jittery, { concurrency: 8 })).score(tokens);
    expect(Buffer.from(late.buffer).equals(Buffer.from(calm.buffer))).toBe(true);
    expect(jittery.maxInFlight).toBeGreaterThan(1);
    expect(jittery.maxInFlight).toBeLessThanOrEqual(8);
  });

  it('cancels the calls in flight when the run is stopped (the signal reaches the backend)', async () => {
    const controller = new AbortController();
    const backend = new UnigramBackend({ latencyMs: 60_000, maxBatchSize: 1 });
    const llm = await predictor(backend, { concurrency: 3 }, controller.signal);
    const scoring = llm.score(words(batch));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const started = performance.now();
    controller.abort(new Error('Ctrl-C'));
    await expect(scoring).rejects.toThrow('Ctrl-C');
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(backend.aborted).toBe(3);
    expect(backend.inFlight).toBe(0);
  });

  it('caches scored documents: a second predictor over the same folder asks the backend nothing and gives the same bits', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'kolmo-llm-cache-'));
    folders.push(cacheDir);
    const tokens = words(batch);
    const first = new UnigramBackend({ topK: 4 });
    const fresh = await (await predictor(first, {}, undefined, cacheDir)).score(tokens);
    expect(first.calls).toBeGreaterThan(0);
    const second = new UnigramBackend({ topK: 4 });
    const again = await (await predictor(second, {}, undefined, cacheDir)).score(tokens);
    expect(second.calls).toBe(0);
    expect(Buffer.from(again.buffer).equals(Buffer.from(fresh.buffer))).toBe(true);
    // Another stride is another key (it could change the numbers); nothing else lies in the folder but entries.
    const third = new UnigramBackend({ topK: 4 });
    await (await predictor(third, { stride: 7 }, undefined, cacheDir)).score(tokens);
    expect(third.calls).toBeGreaterThan(0);
    const backendFolders = readdirSync(join(cacheDir, 'llm'));
    expect(backendFolders).toHaveLength(1);
  });
});

