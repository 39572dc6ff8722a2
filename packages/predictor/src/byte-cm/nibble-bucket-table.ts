import { stateConfidence } from './bit-history.ts';

/**
 * A hash table of bit histories shared by several context orders. A byte's context is looked up twice, once
 * per nibble: a bucket of 16 bytes holds an 8-bit check of the hash and the 15 bit-history states of the
 * binary tree of that nibble (node 1, then 2·node + bit), so one lookup serves four bit predictions and stays
 * in one cache line. A lookup probes three neighbouring buckets; when none carries the check, it clears and
 * claims the one whose first state has seen the least (a fresh context predicts better than a stale one).
 */
export class NibbleBucketTable {
  /** The states; a bucket starts at `base` (a multiple of 16): its check at `base`, node i at `base + i`. */
  readonly states: Uint8Array;
  private readonly bucketMask: number;
  /** How many lookups evicted a bucket that had seen something. */
  evictions = 0;

  /** @param states the table's memory, a power of two of at least 64 bytes (zeroed: every state unseen) */
  constructor(states: Uint8Array) {
    if (states.length < 64 || (states.length & (states.length - 1)) !== 0) {
      throw new RangeError(`nibble bucket table: size ${states.length} is not a power of two ≥ 64`);
    }
    this.states = states;
    this.bucketMask = states.length / 16 - 1;
  }

  /** Reads the check of a hash's home bucket: a cheap way to bring it into the cache before `find`. */
  touch(hash: number): number {
    return this.states[(hash & this.bucketMask) << 4];
  }

  /** The base offset of the bucket of a 32-bit context hash, claiming one if the context is new. */
  find(hash: number): number {
    const states = this.states;
    const check = hash >>> 24;
    const home = hash & this.bucketMask;
    let victim = 0;
    let victimConfidence = 256;
    for (let probe = 0; probe < 3; probe++) {
      const base = (home ^ probe) << 4;
      if (states[base] === check) return base;
      const confidence = stateConfidence[states[base + 1]];
      if (confidence < victimConfidence) {
        victimConfidence = confidence;
        victim = base;
      }
    }
    if (victimConfidence > 0) this.evictions++;
    states[victim] = check;
    for (let i = 1; i < 16; i++) states[victim + i] = 0;
    return victim;
  }
}
