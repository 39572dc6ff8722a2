import type { LogProbBackend, StageContext, StageDescriptor } from '@kolmo/core';
import { Rng } from '@kolmo/core';
import type { FakeFault } from './fake-llm-server.ts';
import { WordPieceModel } from './word-piece-model.ts';

/**
 * Builds an `llm-backend` from its descriptor the way a run does (config parsed by its zod schema, defaults
 * applied), with a context whose log lines are kept in `logs` (tests grep them for keys).
 */
export async function buildBackend(
  descriptor: StageDescriptor,
  config: Record<string, unknown>,
  logs: string[] = [],
): Promise<LogProbBackend> {
  const parsed = descriptor.config.parse(config);
  return (await descriptor.create(parsed, backendContext(logs))) as LogProbBackend;
}

export function backendContext(logs: string[] = []): StageContext {
  const root = new Rng(1);
  return {
    runDir: '',
    specDir: '',
    point: {},
    seed: 1,
    rng: (name) => root.split(name),
    signal: new AbortController().signal,
    log: { info: (m) => logs.push(m), warn: (m) => logs.push(m) },
    create: () => Promise.reject(new Error('no nested components in backend tests')),
    upstream: {},
  };
}

/** ln q(ids[i] | ids[i−1]) for i ≥ scoreFrom: what a correct backend returns for the fake server's model. */
export function expectedLogProbs(model: WordPieceModel, ids: ArrayLike<number>, scoreFrom: number): Float64Array {
  const out = new Float64Array(ids.length - scoreFrom);
  for (let i = scoreFrom; i < ids.length; i++) out[i - scoreFrom] = model.logProb(ids[i - 1], ids[i]);
  return out;
}

/**
 * Every fault a client must recover from (each once), and the settings that make them quick: a timeout short
 * enough for `delay`, a Retry-After of 0 s.
 */
export const recoverableFaults: readonly FakeFault[] = [
  { kind: 'delay', ms: 3_000 },
  { kind: 'status', status: 429, retryAfter: '0' },
  { kind: 'status', status: 500 },
  { kind: 'status', status: 502 },
  { kind: 'status', status: 503 },
  { kind: 'status', status: 504 },
  { kind: 'drop' },
  { kind: 'truncate' },
  { kind: 'cut' },
  { kind: 'malformed' },
  { kind: 'wrong-count' },
  { kind: 'wrong-ids' },
  { kind: 'nan' },
  { kind: 'positive' },
];

/** Client settings for fault tests: fast retries, a short timeout (the `delay` fault waits 3 s). */
export const quickRetries = { timeoutMs: 1_000, retryDelayMs: 1, maxRetryDelayMs: 20, maxRetries: 3 } as const;

/** A text whose tokens exercise every offset unit: multi-byte pieces, an astral piece, byte-fallback characters. */
export const mixedScriptText = 'the cat sat on the mat — naïve 日本語 😀🎉 and ß\n';


