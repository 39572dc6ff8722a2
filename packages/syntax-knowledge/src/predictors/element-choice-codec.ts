import type { EntropyDecoder, EntropyEncoder, Prior, Seating, SymbolCodec } from '@kolmo/core';

/** The precision of the new-or-known decision (a binary choice costs at most −log2(1 − 2^(1−P)) over ideal). */
const decisionBits = 24;
const maxTotalBits = 32;

/**
 * The knowledge part of a document as entropy-coder decisions, from the prior's own seating (the Bayes-optimal
 * predictive of theory §3): symbol k < K is the known element k (local ids, in order of first sight), symbol K a
 * new one. Coded in two steps, so no table over the elements is ever built:
 *
 * 1. new or known, with P(new) = `seating.probabilityNew()` quantized to 2^24: f_new = 1 + ⌊P(new)·(2^24 − 2)⌋,
 *    the rest to "known" (skipped while one of them is impossible: no element yet, or P(new) = 0);
 * 2. which known element, with q_k = P(k)/(1 − P(new)), quantized to 2^P by the boundary
 *    F(k) = k + min(S, ⌊(W(k)/W)·S⌋), S = 2^P − K, W(k) = Σ_{j<k} w_j: every frequency is ≥ 1 and exceeds q_k·S,
 *    so the cost over −log2 q_k is below −log2(1 − K/2^P); P = 20 + ⌈⌈log2 K⌉/2⌉ within [24, 32] grows with K.
 *
 * For count-affine seatings (Pitman–Yor, Dirichlet process, finite Dirichlet: P(k) ∝ m_k − δ) the weights are
 * w_k = m_k − δ, W(k) = C(k) − δ·k with the integer count prefix C(k) from a Fenwick tree: O(log K) to encode
 * (a prefix query) and to decode (a descent on the monotone F). Any other seating is coded with its own
 * `probabilityExisting(k)` as weights, O(K) per document. Only IEEE +, −, ×, ÷ and floor run before the integers,
 * the same expressions on both sides, so encoder and decoder get identical frequencies.
 * `encode` and `decode` then record the draw in the seating, as the predictor's `observe` does.
 */
export class ElementChoiceCodec implements SymbolCodec {
  readonly seating: Seating;
  /** δ of a count-affine seating; undefined for a generic one. */
  readonly offset: number | undefined;
  private counts = new Float64Array(64);
  /** Fenwick tree over `counts` (1-based), maintained for every index up to its capacity. */
  private tree = new Float64Array(65);
  /** Scratch for the generic seating's boundaries F(0..K). */
  private boundaries = new Float64Array(0);

  constructor(prior: Prior) {
    this.seating = prior.seating();
    this.offset = countAffineOffset(prior);
  }

  /** Known elements K: symbol K means a new element. */
  get distinct(): number {
    return this.seating.distinct;
  }

  encode(symbol: number, encoder: EntropyEncoder): number {
    const K = this.seating.distinct;
    if (!(Number.isInteger(symbol) && symbol >= 0 && symbol <= K)) throw new RangeError(`element choice: ${symbol} is neither a known element (< ${K}) nor the new one (${K})`);
    const isNew = symbol === K;
    let bits = 0;
    const decision = this.decision();
    if (decision > 0) {
      const start = isNew ? decision : 0;
      const frequency = isNew ? 2 ** decisionBits - decision : decision;
      encoder.encode(start, frequency, decisionBits);
      bits += decisionBits - Math.log2(frequency);
    } else if ((decision === 0 && !isNew) || (decision < 0 && isNew)) {
      throw new RangeError(`element choice: the seating gives ${isNew ? 'a new element' : 'a known element'} probability 0`);
    }
    if (!isNew && K > 1) bits += this.encodeKnown(symbol, K, encoder);
    this.record(symbol);
    return bits;
  }

  decode(decoder: EntropyDecoder): number {
    const K = this.seating.distinct;
    const decision = this.decision();
    let isNew = decision === 0;
    if (decision > 0) {
      isNew = decoder.target(decisionBits) >= decision;
      if (isNew) decoder.consume(decision, 2 ** decisionBits - decision, decisionBits);
      else decoder.consume(0, decision, decisionBits);
    }
    const symbol = isNew ? K : K > 1 ? this.decodeKnown(K, decoder) : 0;
    this.record(symbol);
    return symbol;
  }

  /**
   * The frequency of "known" out of 2^24, or 0 when only a new element is possible (none known yet, or
   * P(new) ≥ 1), −1 when only a known one is (P(new) = 0).
   */
  private decision(): number {
    if (this.seating.distinct === 0) return 0;
    const probabilityNew = this.seating.probabilityNew();
    if (probabilityNew >= 1) return 0;
    if (!(probabilityNew > 0)) return -1;
    const total = 2 ** decisionBits;
    return total - 1 - Math.floor(probabilityNew * (total - 2));
  }

  private encodeKnown(symbol: number, K: number, encoder: EntropyEncoder): number {
    const totalBits = knownTotalBits(K);
    let start: number;
    let end: number;
    if (this.offset !== undefined) {
      const scale = (2 ** totalBits - K) / (this.seating.draws - this.offset * K);
      const prefix = this.prefix(symbol);
      start = this.affineBoundary(symbol, prefix, K, totalBits, scale);
      end = this.affineBoundary(symbol + 1, prefix + this.counts[symbol], K, totalBits, scale);
    } else {
      const boundaries = this.genericBoundaries(K, totalBits);
      start = boundaries[symbol];
      end = boundaries[symbol + 1];
    }
    encoder.encode(start, end - start, totalBits);
    return totalBits - Math.log2(end - start);
  }

  private decodeKnown(K: number, decoder: EntropyDecoder): number {
    const totalBits = knownTotalBits(K);
    const target = decoder.target(totalBits);
    let symbol = 0;
    let start = 0;
    let end: number;
    if (this.offset !== undefined) {
      // Fenwick descent to the largest k < K with F(k) ≤ target (F(0) = 0, F strictly increasing).
      const scale = (2 ** totalBits - K) / (this.seating.draws - this.offset * K);
      let prefix = 0;
      for (let step = 2 ** (31 - Math.clz32(K)); step >= 1; step /= 2) {
        const next = symbol + step;
        if (next >= K) continue;
        const candidatePrefix = prefix + this.tree[next];
        const candidate = this.affineBoundary(next, candidatePrefix, K, totalBits, scale);
        if (candidate <= target) {
          symbol = next;
          prefix = candidatePrefix;
          start = candidate;
        }
      }
      end = this.affineBoundary(symbol + 1, prefix + this.counts[symbol], K, totalBits, scale);
    } else {
      const boundaries = this.genericBoundaries(K, totalBits);
      let hi = K; // boundaries[symbol] ≤ target < boundaries[hi]
      while (hi - symbol > 1) {
        const mid = (symbol + hi) >>> 1;
        if (boundaries[mid] <= target) symbol = mid;
        else hi = mid;
      }
      start = boundaries[symbol];
      end = boundaries[symbol + 1];
    }
    decoder.consume(start, end - start, totalBits);
    return symbol;
  }

  /** F(k) of the count-affine weights, given C(k) = Σ_{j<k} m_j: the one expression both sides evaluate. */
  private affineBoundary(k: number, prefix: number, K: number, totalBits: number, scale: number): number {
    if (k === K) return 2 ** totalBits;
    return k + Math.min(2 ** totalBits - K, Math.floor((prefix - this.offset! * k) * scale));
  }

  /** F(0..K) from the seating's own probabilities (any seating), O(K). */
  private genericBoundaries(K: number, totalBits: number): Float64Array {
    if (this.boundaries.length < K + 1) this.boundaries = new Float64Array(2 * K + 2);
    const boundaries = this.boundaries;
    let sum = 0;
    for (let k = 0; k < K; k++) sum += this.seating.probabilityExisting(k);
    if (!(sum > 0 && sum < Infinity)) throw new RangeError(`element choice: the known elements' probabilities sum to ${sum}`);
    const spare = 2 ** totalBits - K;
    let prefix = 0;
    for (let k = 0; k < K; k++) {
      boundaries[k] = k + Math.min(spare, Math.floor((prefix / sum) * spare));
      prefix += this.seating.probabilityExisting(k);
    }
    boundaries[K] = 2 ** totalBits;
    return boundaries;
  }

  private record(symbol: number): void {
    this.seating.add(symbol);
    if (this.offset === undefined) return;
    if (symbol >= this.counts.length) this.grow();
    this.counts[symbol]++;
    for (let i = symbol + 1; i < this.tree.length; i += i & -i) this.tree[i]++;
  }

  /** Doubles the capacity and rebuilds the Fenwick tree from the counts (O(capacity), amortised O(1)). */
  private grow(): void {
    const counts = new Float64Array(2 * this.counts.length);
    counts.set(this.counts);
    const tree = new Float64Array(counts.length + 1);
    for (let i = 1; i < tree.length; i++) {
      tree[i] += counts[i - 1];
      const parent = i + (i & -i);
      if (parent < tree.length) tree[parent] += tree[i];
    }
    this.counts = counts;
    this.tree = tree;
  }

  private prefix(k: number): number {
    let sum = 0;
    for (let i = k; i > 0; i -= i & -i) sum += this.tree[i];
    return sum;
  }
}

/** P for the known-element choice: 20 + ⌈⌈log2 K⌉/2⌉ within [24, 32], from integer operations only. */
function knownTotalBits(K: number): number {
  const ceilLog2 = 32 - Math.clz32(K - 1);
  return Math.min(maxTotalBits, Math.max(24, 20 + Math.ceil(ceilLog2 / 2)));
}

/**
 * δ when the seating's predictive is P(k) ∝ m_k − δ among known elements: the Pitman–Yor discount α, 0 for the
 * Dirichlet process, −c for the finite Dirichlet (read from the prior's parameters, as the memory-bounded
 * predictor does), confirmed on a probe seating (counts 2 and 1); undefined otherwise.
 */
export function countAffineOffset(prior: Prior): number | undefined {
  const shaped = prior as Partial<{ discount: number; concentration: number; elements: number }>;
  let offset: number | undefined;
  if (typeof shaped.discount === 'number') offset = shaped.discount;
  else if (prior.name.startsWith('finite-dirichlet') && typeof shaped.concentration === 'number') offset = -shaped.concentration;
  else if (prior.name.startsWith('dirichlet-process')) offset = 0;
  if (offset === undefined || !(offset < 1)) return undefined;
  const probe = prior.seating();
  try {
    probe.add(0);
    probe.add(0);
    probe.add(1);
  } catch {
    return undefined;
  }
  const twice = probe.probabilityExisting(0);
  const once = probe.probabilityExisting(1);
  const agrees = Math.abs(twice * (1 - offset) - once * (2 - offset)) <= 1e-12 * Math.abs(twice);
  return agrees ? offset : undefined;
}
