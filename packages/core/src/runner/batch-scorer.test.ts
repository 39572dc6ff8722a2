import { describe, expect, it } from 'vitest';
import type { CoderSession } from '../contracts/coder.ts';
import type { Predictor } from '../contracts/predictor.ts';
import type { TokenBatch } from '../records/token-batch.ts';
import { BatchScorer } from './batch-scorer.ts';

const batch = (first: number): TokenBatch => ({ length: 1, ids: Int32Array.of(first), doc: Int32Array.of(first), slot: new Uint8Array(1), start: new Int32Array(1), end: Int32Array.of(1), offsetUnit: 'utf16', documents: { first, text: ['x'], columns: {} } });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A predictor that counts the batches it has learned from and answers that count (so order shows), after `delay(batch)` ms. */
function counting(options: { frozen?: boolean; asynchronous: boolean; delay?: (first: number) => number }) {
  const log = { started: [] as number[], inFlight: 0, maxInFlight: 0 };
  let learned = 0;
  const predictor: Predictor = {
    frozen: options.frozen,
    batchesInFlight: 3,
    score(tokens) {
      const first = tokens.documents.first;
      log.started.push(first);
      if (!options.asynchronous) return Float64Array.of(learned++);
      log.inFlight++;
      log.maxInFlight = Math.max(log.maxInFlight, log.inFlight);
      return sleep(options.delay?.(first) ?? 1).then(() => {
        log.inFlight--;
        return Float64Array.of(options.frozen ? first : learned++);
      });
    },
  };
  const session: CoderSession = {
    code: (tokens) => {
      const bits = predictor.score(tokens);
      return bits instanceof Promise ? bits.then((b) => ({ predictor: 'p', tokens, bits: b })) : { predictor: 'p', tokens, bits };
    },
    finish: () => ({}),
  };
  return { log, entry: { name: 'p', predictor, session } };
}

describe('BatchScorer', () => {
  it('keeps synchronous predictors synchronous: an array, not a Promise', () => {
    const { entry } = counting({ asynchronous: false });
    const scorer = new BatchScorer([entry]);
    const scored = scorer.score(batch(0), 'train');
    expect(Array.isArray(scored)).toBe(true);
    expect(scorer.batchesInFlight(2)).toBe(2);
  });

  it('chains an asynchronous predictor that learns: batch k + 1 starts after batch k, whatever the latencies', async () => {
    const { entry, log } = counting({ asynchronous: true, delay: (first) => (first === 0 ? 30 : 1) });
    const scorer = new BatchScorer([entry]);
    const results = [0, 1, 2].map((first) => scorer.score(batch(first), 'train'));
    expect(log.started).toEqual([0]);
    const bits = await Promise.all(results);
    expect(bits.map((scored) => scored[0].bits[0])).toEqual([0, 1, 2]);
    expect(log.maxInFlight).toBe(1);
  });

  it('scores batches of a frozen predictor at once, and asks the source for batchesInFlight + 1 batches', async () => {
    const { entry, log } = counting({ frozen: true, asynchronous: true, delay: (first) => 30 - 10 * first });
    const scorer = new BatchScorer([entry]);
    expect(scorer.batchesInFlight(2)).toBe(4);
    const results = [0, 1, 2].map((first) => scorer.score(batch(first), 'test'));
    expect(log.started).toEqual([0, 1, 2]);
    expect(log.maxInFlight).toBe(3);
    const bits = await Promise.all(results);
    expect(bits.map((scored) => scored[0].bits[0])).toEqual([0, 1, 2]);
  });

  it('leaves no unhandled rejection when a batch fails and nobody awaits it', async () => {
    const failing: Predictor = { frozen: true, score: () => Promise.reject(new Error('backend down')) };
    const scorer = new BatchScorer([{ name: 'p', predictor: failing, session: { code: () => Promise.reject(new Error('backend down')), finish: () => ({}) } }]);
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    scorer.score(batch(0), 'train');
    await sleep(20);
    process.off('unhandledRejection', onUnhandled);
    expect(unhandled).toEqual([]);
  });
});
