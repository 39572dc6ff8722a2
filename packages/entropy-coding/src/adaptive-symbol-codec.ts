import { KolmoError, type EntropyDecoder, type EntropyEncoder, type SymbolCodec } from '@kolmo/core';

/** The largest precision an entropy coder accepts (the range coder's limit). */
const maxTotalBits = 32;

/**
 * The codec of the order-0 Dirichlet model q(x) = (c_x + a)/(n + V a), quantized to a total of 2^P.
 *
 * With C(x) = Σ_{y<x} c_y + a·x, T = n + V·a and K = 2^P − V, symbol x gets [F(x), F(x+1)) where
 * F(x) = x + min(K, ⌊C(x)·(K/T)⌋) and F(V) = 2^P: every frequency is ≥ 1 and exceeds q_x·K, so the cost over
 * the model's ideal bits is below −log2(1 − V/2^P) a symbol (theory §8). The counts are exact integers; the
 * prior a may be any positive number, and only IEEE +, ×, ÷ (correctly rounded, the same on every platform)
 * run before the floor, the same expression on both sides. C(x) comes from a Fenwick tree, so coding and
 * decoding cost O(log V) a symbol whatever the vocabulary size.
 */
export class AdaptiveSymbolCodec implements SymbolCodec {
  private readonly size: number;
  private readonly prior: number;
  private readonly totalBits: number;
  private readonly total: number;
  private readonly spare: number;
  private readonly priorMass: number;
  private readonly counts: Float64Array;
  /** Fenwick tree over the counts: tree[i] sums counts (i − lowbit(i), i] in 1-based positions. */
  private readonly tree: Float64Array;
  private readonly topStep: number;
  private seen = 0;
  /** K / T for the current counts: one division per symbol, then only multiplications. */
  private scale: number;

  constructor(alphabetSize: number, prior: number, totalBits: number) {
    if (!Number.isInteger(totalBits) || totalBits < 1 || totalBits > maxTotalBits || 2 ** totalBits < alphabetSize) {
      throw new KolmoError(
        'invalidSpec',
        `precision: ${totalBits} bits cannot code ${alphabetSize} symbols; use an integer P in [1, ${maxTotalBits}] with 2^P ≥ ${alphabetSize} (theory §8 asks for P ≥ 24)`,
      );
    }
    this.size = alphabetSize;
    this.prior = prior;
    this.totalBits = totalBits;
    this.total = 2 ** totalBits;
    this.spare = this.total - alphabetSize;
    this.priorMass = alphabetSize * prior;
    this.counts = new Float64Array(alphabetSize);
    this.tree = new Float64Array(alphabetSize + 1);
    let step = 1;
    while (step * 2 <= alphabetSize) step *= 2;
    this.topStep = step;
    this.scale = this.spare / this.priorMass;
  }

  encode(symbol: number, encoder: EntropyEncoder): number {
    if (!(symbol >= 0 && symbol < this.size)) throw new RangeError(`adaptive codec: symbol ${symbol} is outside [0, ${this.size})`);
    const prefix = this.prefix(symbol);
    const low = this.boundary(symbol, prefix);
    const frequency = this.boundary(symbol + 1, prefix + this.counts[symbol]) - low;
    encoder.encode(low, frequency, this.totalBits);
    this.update(symbol);
    return this.totalBits - Math.log2(frequency);
  }

  decode(decoder: EntropyDecoder): number {
    const target = decoder.target(this.totalBits);
    // Fenwick descent to the largest x with F(x) ≤ target (F strictly increases, F(0) = 0).
    const tree = this.tree;
    let position = 0;
    let prefix = 0;
    let low = 0;
    for (let step = this.topStep; step > 0; step >>= 1) {
      const next = position + step;
      if (next >= this.size) continue;
      const candidatePrefix = prefix + tree[next];
      const candidate = this.boundary(next, candidatePrefix);
      if (candidate <= target) {
        position = next;
        prefix = candidatePrefix;
        low = candidate;
      }
    }
    const frequency = this.boundary(position + 1, prefix + this.counts[position]) - low;
    decoder.consume(low, frequency, this.totalBits);
    this.update(position);
    return position;
  }

  /** F(x) given C's integer part Σ_{y<x} c_y: the one expression both sides evaluate. */
  private boundary(x: number, prefix: number): number {
    if (x === this.size) return this.total;
    const scaled = Math.floor((prefix + this.prior * x) * this.scale);
    return x + Math.min(this.spare, scaled);
  }

  private prefix(x: number): number {
    let sum = 0;
    for (let i = x; i > 0; i -= i & -i) sum += this.tree[i];
    return sum;
  }

  private update(symbol: number): void {
    this.counts[symbol]++;
    this.seen++;
    for (let i = symbol + 1; i <= this.size; i += i & -i) this.tree[i]++;
    this.scale = this.spare / (this.seen + this.priorMass);
  }
}
