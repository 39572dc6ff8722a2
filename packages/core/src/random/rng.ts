import { deriveState } from './seed.ts';

/**
 * xoshiro128** (Blackman & Vigna): fast 32-bit arithmetic, period 2^128 − 1. Streams are split by name
 * (`split`), so each part of a run draws from its own stream whatever the others do.
 */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private readonly seed: number;
  private readonly key: string;

  constructor(seed: number, key = '') {
    this.seed = seed;
    this.key = key;
    [this.s0, this.s1, this.s2, this.s3] = deriveState(seed, key);
  }

  /** An independent stream named `name` under this one (depends on the names, not on draws made so far). */
  split(name: string): Rng {
    return new Rng(this.seed, this.key === '' ? name : `${this.key}/${name}`);
  }

  nextUint32(): number {
    const s0 = this.s0, s1 = this.s1, s2 = this.s2, s3 = this.s3;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    this.s2 = s2 ^ s0;
    this.s3 = s3 ^ s1;
    this.s1 = s1 ^ this.s2;
    this.s0 = s0 ^ this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  nextFloat(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform in (0, 1): safe under log. */
  nextOpenFloat(): number {
    let u = this.nextFloat();
    while (u === 0) u = this.nextFloat();
    return u;
  }

  /** Uniform integer in [0, n), unbiased, for 1 ≤ n ≤ 2^32. */
  nextInt(n: number): number {
    if (n <= 0x100000000 && n === (n >>> 0) && n > 0) {
      // Lemire's nearly-divisionless method with rejection on the low part.
      const threshold = (0x100000000 - n) % n;
      for (;;) {
        const x = this.nextUint32();
        const product = x * n; // exact below 2^53
        const low = product % 0x100000000;
        if (low >= threshold) return Math.floor(product / 0x100000000);
      }
    }
    if (n === 0x100000000) return this.nextUint32();
    if (Number.isInteger(n) && n > 0 && n <= Number.MAX_SAFE_INTEGER) return Math.floor(this.nextFloat() * n);
    throw new RangeError(`nextInt needs a positive integer, got ${n}`);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
