import { stateOnes, stateZeros } from './bit-history.ts';

/** 1/(n + 1.5) in 13-bit fixed point: the learning rate after n observations (a running average). */
const rates = Int32Array.from({ length: 1024 }, (_, n) => Math.floor(16384 / (2 * n + 3)));

/**
 * Adaptive probabilities, one per context (a bit-history state of one context order, a match length, …):
 * each is the running average of the bits seen in its context until `limit` observations, then an
 * exponential moving average with rate 1/(limit + 1.5), so it follows slow drift. Probabilities are 22-bit
 * integers; `p` gives them at 12 bits. Pure 32-bit integer arithmetic.
 */
export class StateMap {
  private readonly probabilities: Int32Array;
  private readonly counts: Uint16Array;
  private readonly limit: number;

  constructor(size: number, limit = 1023) {
    this.probabilities = new Int32Array(size).fill(1 << 21);
    this.counts = new Uint16Array(size);
    this.limit = Math.min(limit, 1023);
  }

  /** A map whose context c starts at the probability `initial(c)` of a 1, in (0, 1). */
  static startingAt(size: number, initial: (context: number) => number, limit = 1023): StateMap {
    const map = new StateMap(size, limit);
    for (let c = 0; c < size; c++) map.probabilities[c] = Math.min((1 << 22) - 1, Math.max(1, Math.round(initial(c) * (1 << 22))));
    return map;
  }

  /**
   * A map for `copies` context orders of bit histories (context = 256·copy + state), each state starting at
   * its count estimate (n1 + 1/2)/(n0 + n1 + 1).
   */
  static forBitHistories(copies: number, limit = 1023): StateMap {
    const map = new StateMap(copies * 256, limit);
    for (let c = 0; c < copies; c++) {
      for (let s = 0; s < stateZeros.length; s++) {
        const n0 = stateZeros[s];
        const n1 = stateOnes[s];
        map.probabilities[c * 256 + s] = Math.floor(((2 * n1 + 1) * (1 << 22)) / (2 * (n0 + n1) + 2));
      }
    }
    return map;
  }

  /** The 12-bit probability of a 1 in `context`. */
  p(context: number): number {
    return this.probabilities[context] >> 10;
  }

  update(context: number, bit: number): void {
    const n = this.counts[context];
    const p = this.probabilities[context];
    // (delta / 32) · rate / 256 = delta · rate / 2^13, every product below 2^31
    this.probabilities[context] = p + ((((bit << 22) - p) >> 5) * rates[n] >> 8);
    if (n < this.limit) this.counts[context] = n + 1;
  }
}
