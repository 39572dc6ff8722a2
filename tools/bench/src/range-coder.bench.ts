/**
 * Range coder speed and overhead: encode and decode throughput for binary decisions (as a bitwise context-mixing
 * model drives it, 8 per byte) and for 256-symbol alphabets (a static table, and the adaptive-bytes codec on
 * alice29.txt), with the coded size's overhead over the ideal Σ −log2 q of the quantized distribution.
 *
 *   npx tsx --conditions=@kolmo/source tools/bench/src/range-coder.bench.ts [--decisions 8e6] [--symbols 4e6] [--repeats 5]
 */
import { readFileSync } from 'node:fs';
import { FrequencyTableCodec, quantizeFrequencies, RangeDecoder, RangeEncoder } from '@kolmo/entropy-coding';
import { Rng, type TokenBatch } from '@kolmo/core';
import { AdaptiveSymbolPredictor } from '@kolmo/predictor';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i].replace(/^--/, ''), process.argv[i + 1]);
const decisions = Number(args.get('decisions') ?? 8e6);
const symbolCount = Number(args.get('symbols') ?? 4e6);
const repeats = Number(args.get('repeats') ?? 5);
const rng = new Rng(1, 'range-coder-bench');

interface Figures {
  encodeSeconds: number;
  decodeSeconds: number;
  bytes: number;
  idealBits: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function measure(label: string, inputBytes: number, symbols: number, run: () => Figures): void {
  const encode: number[] = [];
  const decode: number[] = [];
  let last: Figures | undefined;
  for (let r = 0; r < repeats; r++) {
    last = run();
    encode.push(last.encodeSeconds);
    decode.push(last.decodeSeconds);
  }
  const { bytes, idealBits } = last!;
  const overhead = bytes * 8 - idealBits;
  console.log(
    `${label.padEnd(44)}${(inputBytes / median(encode) / 1e6).toFixed(1).padStart(9)}${(inputBytes / median(decode) / 1e6).toFixed(1).padStart(9)}` +
      `${((symbols / median(encode)) / 1e6).toFixed(1).padStart(10)}${overhead.toFixed(1).padStart(12)}${(overhead / symbols).toExponential(2).padStart(12)}` +
      `${((overhead / idealBits) * 100).toFixed(4).padStart(10)}%`,
  );
}

/** Binary decisions with probabilities spread like a CM model's (mostly confident), coded at `totalBits`. */
function binaryDecisions(totalBits: number): () => Figures {
  const total = 2 ** totalBits;
  const zeroFrequency = new Float64Array(decisions);
  const bits = new Uint8Array(decisions);
  let idealBits = 0;
  for (let i = 0; i < decisions; i++) {
    const p0 = 1 / (1 + Math.exp(-6 * (rng.nextFloat() * 2 - 1))); // logistic of a uniform stretch: 0.0025..0.9975
    const f0 = Math.min(total - 1, Math.max(1, Math.round(p0 * total)));
    zeroFrequency[i] = f0;
    bits[i] = rng.nextFloat() < f0 / total ? 0 : 1;
    idealBits += totalBits - Math.log2(bits[i] === 0 ? f0 : total - f0);
  }
  return () => {
    const encoder = new RangeEncoder(decisions / 4);
    let start = performance.now();
    for (let i = 0; i < decisions; i++) {
      const f0 = zeroFrequency[i];
      if (bits[i] === 0) encoder.encode(0, f0, totalBits);
      else encoder.encode(f0, total - f0, totalBits);
    }
    const stream = encoder.finish();
    const encodeSeconds = (performance.now() - start) / 1000;
    start = performance.now();
    const decoder = new RangeDecoder(stream);
    let errors = 0;
    for (let i = 0; i < decisions; i++) {
      const f0 = zeroFrequency[i];
      const bit = decoder.target(totalBits) < f0 ? 0 : 1;
      if (bit === 0) decoder.consume(0, f0, totalBits);
      else decoder.consume(f0, total - f0, totalBits);
      errors += bit ^ bits[i];
    }
    const decodeSeconds = (performance.now() - start) / 1000;
    if (errors > 0) throw new Error(`binary round trip failed: ${errors} wrong decisions`);
    return { encodeSeconds, decodeSeconds, bytes: stream.length, idealBits };
  };
}

/** A static 256-symbol table (Zipf-like weights) coded through FrequencyTableCodec. */
function staticAlphabet(totalBits: number): () => Figures {
  const weights = Array.from({ length: 256 }, (_, x) => 1 / (x + 1) ** 1.1);
  const frequencies = quantizeFrequencies(weights, totalBits);
  const codec = new FrequencyTableCodec(frequencies, totalBits);
  const cumulative = [0];
  for (const f of frequencies) cumulative.push(cumulative.at(-1)! + f);
  const symbols = new Uint8Array(symbolCount);
  let idealBits = 0;
  for (let i = 0; i < symbolCount; i++) {
    const u = rng.nextFloat() * 2 ** totalBits;
    let lo = 0;
    let hi = 256;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] <= u) lo = mid;
      else hi = mid;
    }
    symbols[i] = lo;
    idealBits += totalBits - Math.log2(frequencies[lo]);
  }
  return () => {
    const encoder = new RangeEncoder(symbolCount);
    let start = performance.now();
    for (let i = 0; i < symbolCount; i++) codec.encode(symbols[i], encoder);
    const stream = encoder.finish();
    const encodeSeconds = (performance.now() - start) / 1000;
    start = performance.now();
    const decoder = new RangeDecoder(stream);
    for (let i = 0; i < symbolCount; i++) if (codec.decode(decoder) !== symbols[i]) throw new Error(`static round trip failed at ${i}`);
    const decodeSeconds = (performance.now() - start) / 1000;
    return { encodeSeconds, decodeSeconds, bytes: stream.length, idealBits };
  };
}

/** The adaptive-bytes codec (KT, Fenwick tree) on alice29.txt; the ideal is the quantized codec's bits. */
function adaptiveAlice(totalBits: number, text: Uint8Array): () => Figures {
  return () => {
    const codec = new AdaptiveSymbolPredictor(256, 0.5).codec(totalBits);
    const encoder = new RangeEncoder(text.length);
    let idealBits = 0;
    let start = performance.now();
    for (let i = 0; i < text.length; i++) idealBits += codec.encode(text[i], encoder);
    const stream = encoder.finish();
    const encodeSeconds = (performance.now() - start) / 1000;
    const decoding = new AdaptiveSymbolPredictor(256, 0.5).codec(totalBits);
    start = performance.now();
    const decoder = new RangeDecoder(stream);
    for (let i = 0; i < text.length; i++) if (decoding.decode(decoder) !== text[i]) throw new Error(`adaptive round trip failed at ${i}`);
    const decodeSeconds = (performance.now() - start) / 1000;
    return { encodeSeconds, decodeSeconds, bytes: stream.length, idealBits };
  };
}

const alice = readFileSync(new URL('../../../examples/corpora/alice29.txt', import.meta.url));
const aliceTimes8 = new Uint8Array(alice.length * 8);
for (let k = 0; k < 8; k++) aliceTimes8.set(alice, k * alice.length);

console.log(`range coder benchmark (Node ${process.version}); medians of ${repeats} repeats`);
console.log('  input MB/s: bytes of the original per second (8 binary decisions = 1 byte); overhead = coded bits − Σ −log2 q(quantized)');
console.log(`${'case'.padEnd(44)}${'enc MB/s'.padStart(9)}${'dec MB/s'.padStart(9)}${'M sym/s'.padStart(10)}${'over bits'.padStart(12)}${'bits/sym'.padStart(12)}${'rel'.padStart(11)}`);
for (const totalBits of [12, 16, 24]) {
  measure(`binary decisions, P=${totalBits}, ${decisions.toExponential(0)}`, decisions / 8, decisions, binaryDecisions(totalBits));
}
for (const totalBits of [16, 24, 32]) {
  measure(`256 symbols static, P=${totalBits}, ${symbolCount.toExponential(0)}`, symbolCount, symbolCount, staticAlphabet(totalBits));
}
for (const totalBits of [24, 32]) {
  measure(`adaptive-bytes on alice29×8, P=${totalBits}`, aliceTimes8.length, aliceTimes8.length, adaptiveAlice(totalBits, aliceTimes8));
}
const modelBits = new AdaptiveSymbolPredictor(256, 0.5)
  .score({ length: alice.length, ids: Int32Array.from(alice) } as TokenBatch)
  .reduce((a, b) => a + b, 0);
const coded = adaptiveAlice(24, alice)().bytes;
console.log(
  `alice29.txt, adaptive-bytes (KT) at P=24: model ideal ${(modelBits / 8).toFixed(1)} bytes, range coded ${coded} bytes ` +
    `(+${(coded - modelBits / 8).toFixed(2)} bytes, ${(((coded * 8) / modelBits - 1) * 100).toFixed(4)}%)`,
);
