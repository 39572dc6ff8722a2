/**
 * An open-addressing hash index from a pair of 32-bit integers (a prefix id and a token) to a dense id
 * 0, 1, 2, … in insertion order, so callers keep their per-id values in plain typed arrays.
 * Slots are interleaved [a, b, id + 1] triples (0 marks an empty slot) so one probe touches one cache line;
 * linear probing, load factor at most 1/2, capacity doubled on growth (amortised, no per-lookup allocation).
 */
export class PairIndex {
  private slots: Int32Array;
  private mask: number;
  private count = 0;

  constructor(initialCapacity = 1 << 12) {
    let capacity = 16;
    while (capacity < initialCapacity * 2) capacity *= 2;
    this.slots = new Int32Array(capacity * 3);
    this.mask = capacity - 1;
  }

  /** How many pairs have ids (ids are 0 … size − 1). */
  get size(): number {
    return this.count;
  }

  /** The id of (a, b), or −1 when the pair was never inserted. */
  find(a: number, b: number): number {
    const slots = this.slots;
    const mask = this.mask;
    let h = hashPair(a, b) & mask;
    for (;;) {
      const at = h * 3;
      const id = slots[at + 2];
      if (id === 0) return -1;
      if (slots[at] === a && slots[at + 1] === b) return id - 1;
      h = (h + 1) & mask;
    }
  }

  /** The id of (a, b), giving it the next id when it is new (a new id equals the previous `size`). */
  findOrInsert(a: number, b: number): number {
    const slots = this.slots;
    const mask = this.mask;
    let h = hashPair(a, b) & mask;
    for (;;) {
      const at = h * 3;
      const id = slots[at + 2];
      if (id === 0) {
        slots[at] = a;
        slots[at + 1] = b;
        slots[at + 2] = ++this.count;
        if (this.count * 2 > mask + 1) this.grow();
        return this.count - 1;
      }
      if (slots[at] === a && slots[at + 1] === b) return id - 1;
      h = (h + 1) & mask;
    }
  }

  /** Bytes held by the slot array (for statistics). */
  get bytes(): number {
    return this.slots.byteLength;
  }

  private grow(): void {
    const old = this.slots;
    const capacity = (this.mask + 1) * 2;
    const slots = new Int32Array(capacity * 3);
    const mask = capacity - 1;
    for (let at = 0; at < old.length; at += 3) {
      if (old[at + 2] === 0) continue;
      let h = hashPair(old[at], old[at + 1]) & mask;
      while (slots[h * 3 + 2] !== 0) h = (h + 1) & mask;
      slots[h * 3] = old[at];
      slots[h * 3 + 1] = old[at + 1];
      slots[h * 3 + 2] = old[at + 2];
    }
    this.slots = slots;
    this.mask = mask;
  }
}

/** A 32-bit mix of two 32-bit integers (multiply–xorshift, murmur3's finaliser). */
export function hashPair(a: number, b: number): number {
  let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca6b);
  h ^= h >>> 15;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 13;
  return h >>> 0;
}
