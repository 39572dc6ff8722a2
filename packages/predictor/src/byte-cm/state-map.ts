import { stateOnes, stateZeros } from './bit-history.ts';

/** 1/(n + 1.5) in 13-bit fixed point: the learning rate after n observations (a running average). */
export const stateMapRates: Int32Array = Int32Array.from({ length: 1024 }, (_, n) => Math.floor(16384 / (2 * n + 3)));

/**
 * Adaptive probabilities, one per context (a bit-history state of one context order, a match length, …):
 * each is the running average of the bits seen in its context until `limit` observations, then an
 * exponential moving average with rate 1/(limit + 1.5), so it follows slow drift. Each entry packs a 22-bit
 * probability above a 10-bit count into one 32-bit word; `p` gives the probability at 12 bits. Pure 32-bit
 * integer arithmetic. The words sit in an Int32Array (the same 32 bits, read back with `>>>`), so that hot
 * loops never see a number above 2^31.
 */
export class StateMap {
  /** The packed words, for hot loops that inline `p` and `update` (the model's per-bit loop does). */
  readonly entries: Int32Array;
  /** Observations after which the average stops slowing down (≤ 1023). */
  readonly limit: number;

  constructor(size: number, limit = 1023) {
    this.entries = new Int32Array(size).fill((1 << 21) * 1024);
    this.limit = Math.min(limit, 1023);
  }

  /** A map whose context c starts at the probability `initial(c)` of a 1, in (0, 1). */
  static startingAt(size: number, initial: (context: number) => number, limit = 1023): StateMap {
    const map = new StateMap(size, limit);
    for (let c = 0; c < size; c++) map.entries[c] = Math.min((1 << 22) - 1, Math.max(1, Math.round(initial(c) * (1 << 22)))) * 1024;
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
        map.entries[c * 256 + s] = Math.floor(((2 * n1 + 1) * (1 << 22)) / (2 * (n0 + n1) + 2)) * 1024;
      }
    }
    return map;
  }

  /** The 12-bit probability of a 1 in `context`. */
  p(context: number): number {
    return this.entries[context] >>> 20;
  }

  update(context: number, bit: number): void {
    const entry = this.entries[context];
    const n = entry & 1023;
    const p = entry >>> 10;
    // moves a fraction rate/2^13 ≤ 2/3 of the way to the bit (products below 2^31), so p stays in [0, 2^22)
    const rate = stateMapRates[n];
    const next = bit === 1 ? p + (((((1 << 22) - p) >> 5) * rate) >> 8) : p - (((p >> 5) * rate) >> 8);
    this.entries[context] = (next << 10) | (n < this.limit ? n + 1 : n);
  }
}
