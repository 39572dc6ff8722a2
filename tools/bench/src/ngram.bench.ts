/**
 * Throughput of the ngram predictor: score() in tokens/s on a vocabulary of 10^4 for both smoothing methods and a
 * few orders, on two token streams, and the codec (full distribution quantized per token) through the range coder.
 * Each figure is the median over repeats, each repeat a fresh model over the same tokens in batches of 2^16.
 *
 *   "zipf-markov": each token follows its predecessor's own Zipf successor list half of the time, else a global
 *                  Zipf(1.1) draw: text-like repeats, contexts that recur.
 *   "uniform":     i.i.d. uniform tokens, the worst case: nearly every order-2+ context is new, the tables only grow.
 *
 *   npx tsx --conditions=@kolmo/source tools/bench/src/ngram.bench.ts [--tokens 2e6] [--vocabulary 10000] [--repeats 3] [--codec-tokens 20000]
 */
import { cpus, loadavg } from 'node:os';
import { RangeEncoder } from '@kolmo/entropy-coding';
import type { Rng as RngType, TokenBatch } from '@kolmo/core';
import { NgramPredictor, type NgramModelOptions, type NgramSymbolCodec } from '@kolmo/predictor';

// Loaded lazily like the other benchmarks load core (the workspace's module-boundary lint asks for one way).
const { Rng, Slot } = await import('@kolmo/core');

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i].replace(/^--/, ''), process.argv[i + 1]);
const tokens = Number(args.get('tokens') ?? 2e6);
const vocabulary = Number(args.get('vocabulary') ?? 10_000);
const repeats = Number(args.get('repeats') ?? 3);
const codecTokens = Number(args.get('codec-tokens') ?? 20_000);
const batchSize = 1 << 16;
const documentLength = 200;

const streams = { 'zipf-markov': zipfMarkov(new Rng(1), vocabulary, tokens), uniform: uniform(new Rng(2), vocabulary, tokens) };

const configurations: { name: string; options: NgramModelOptions }[] = [
  { name: 'kneser-ney k=3', options: kneserNey(3) },
  { name: 'kneser-ney k=3 fixed D', options: kneserNey(3, false) },
  { name: 'pitman-yor k=3 sampled', options: pitmanYor(3, 'sampled') },
  { name: 'pitman-yor k=3 minimal', options: pitmanYor(3, 'minimal') },
  { name: 'kneser-ney k=1', options: kneserNey(1) },
  { name: 'kneser-ney k=5', options: kneserNey(5) },
];

console.log(`ngram benchmark: V = ${vocabulary}, ${tokens.toExponential(1)} tokens, batches of ${batchSize}, median of ${repeats}`);
console.log(`(load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${cpus().length} CPUs: wall figures suffer when the machine is busy)`);
console.log('stream        configuration             M tokens/s wall (median, min–max)  M tokens/s cpu  strings     bits/token');
for (const [streamName, ids] of Object.entries(streams)) {
  const batches = toBatches(ids);
  for (const { name, options } of configurations) {
    const rates: number[] = [];
    const cpuRates: number[] = [];
    let strings = 0;
    let bits = 0;
    for (let r = 0; r < repeats; r++) {
      const predictor = new NgramPredictor(options, () => new Rng(r));
      const scored: Float64Array[] = [];
      const cpu = process.cpuUsage();
      const start = performance.now();
      for (const batch of batches) scored.push(predictor.score(batch));
      const seconds = (performance.now() - start) / 1000;
      const cpuSeconds = process.cpuUsage(cpu).user / 1e6;
      rates.push(ids.length / seconds / 1e6);
      cpuRates.push(ids.length / cpuSeconds / 1e6);
      strings = predictor.statistics().strings;
      bits = scored.reduce((sum, part) => part.reduce((a, b) => a + b, sum), 0) / ids.length;
    }
    console.log(
      `${streamName.padEnd(14)}${name.padEnd(26)}${`${median(rates).toFixed(2)} (${Math.min(...rates).toFixed(2)}–${Math.max(...rates).toFixed(2)})`.padEnd(35)}` +
        `${median(cpuRates).toFixed(2).padEnd(16)}${strings.toExponential(2).padEnd(12)}${bits.toFixed(3)}`,
    );
  }
}

// The codec is O(V) per token (full distribution, quantization, cumulative frequency).
console.log(`\ncodec (range coder, P = 24), zipf-markov, first ${codecTokens} tokens, median of ${repeats}`);
console.log('configuration             k tokens/s (median)  bytes       ideal bytes');
for (const { name, options } of configurations.slice(0, 4)) {
  const ids = streams['zipf-markov'].subarray(0, codecTokens);
  const rates: number[] = [];
  let bytes = 0;
  let ideal = 0;
  for (let r = 0; r < repeats; r++) {
    const codec = new NgramPredictor(options, () => new Rng(r)).codec(24) as NgramSymbolCodec;
    const encoder = new RangeEncoder();
    ideal = 0;
    const start = performance.now();
    for (let t = 0; t < ids.length; t++) {
      if (t % documentLength === 0) codec.beginDocument();
      ideal += codec.encode(ids[t], encoder);
    }
    bytes = encoder.finish().length;
    rates.push(ids.length / ((performance.now() - start) / 1000) / 1e3);
  }
  console.log(`${name.padEnd(26)}${median(rates).toFixed(1).padEnd(21)}${String(bytes).padEnd(12)}${(ideal / 8).toFixed(0)}`);
}

function kneserNey(order: number, estimateDiscounts = true): NgramModelOptions {
  return { smoothing: 'kneser-ney', vocabularySize: vocabulary, order, resetAtDocument: true, discounts: [0.5, 1, 1.5], estimateDiscounts };
}

function pitmanYor(order: number, seating: 'sampled' | 'minimal'): NgramModelOptions {
  const depths = order + 1;
  return {
    smoothing: 'pitman-yor',
    vocabularySize: vocabulary,
    order,
    resetAtDocument: true,
    discounts: new Array(depths).fill(0.75),
    concentrations: new Array(depths).fill(1),
    seating,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
}

function toBatches(ids: Int32Array): TokenBatch[] {
  const batches: TokenBatch[] = [];
  for (let start = 0; start < ids.length; start += batchSize) {
    const length = Math.min(batchSize, ids.length - start);
    const doc = new Int32Array(length);
    for (let i = 0; i < length; i++) doc[i] = Math.floor((start + i) / documentLength);
    const offsets = new Int32Array(length);
    batches.push({
      length,
      ids: ids.subarray(start, start + length),
      doc,
      slot: new Uint8Array(length).fill(Slot.text),
      start: offsets,
      end: offsets,
      offsetUnit: 'utf16',
      documents: { first: 0, text: [], columns: {} },
    });
  }
  return batches;
}

/** Cumulative Zipf(s) weights over ranks 1 … n, for inverse-CDF draws by binary search. */
function zipfCdf(n: number, s: number): Float64Array {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let r = 0; r < n; r++) cdf[r] = sum += 1 / (r + 1) ** s;
  for (let r = 0; r < n; r++) cdf[r] /= sum;
  return cdf;
}

function draw(cdf: Float64Array, u: number): number {
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cdf[mid] < u) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function zipfMarkov(rng: RngType, size: number, n: number): Int32Array {
  const global = zipfCdf(size, 1.1);
  const successorCount = 32;
  const local = zipfCdf(successorCount, 1);
  const successors = new Int32Array(size * successorCount);
  for (let i = 0; i < successors.length; i++) successors[i] = draw(global, rng.nextFloat());
  const ids = new Int32Array(n);
  let previous = 0;
  for (let t = 0; t < n; t++) {
    const next = rng.nextFloat() < 0.5 ? successors[previous * successorCount + draw(local, rng.nextFloat())] : draw(global, rng.nextFloat());
    ids[t] = previous = next;
  }
  return ids;
}

function uniform(rng: RngType, size: number, n: number): Int32Array {
  const ids = new Int32Array(n);
  for (let t = 0; t < n; t++) ids[t] = rng.nextInt(size);
  return ids;
}
