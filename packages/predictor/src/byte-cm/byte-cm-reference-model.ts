import { Apm } from './apm.ts';
import { nextState } from './bit-history.ts';
import { stretchLookup } from './logistic.ts';
import { MatchModel } from './match-model.ts';
import { MixerNetwork } from './mixer-network.ts';
import { NibbleBucketTable } from './nibble-bucket-table.ts';
import { StateMap, stateMapRates } from './state-map.ts';
import { defaultByteCmOptions, isLetter, type ByteCmOptions } from './byte-cm-model.ts';

/** Word contexts: current word + last byte, + previous word, + previous two words, + the word before the previous. */
const wordContextCount = 4;

/**
 * A direct context's states for one byte: the bucket of the high nibble's tree, then one bucket per high
 * nibble for the low nibble's tree (16 states each, node 1..15), like the buckets of the hashed table.
 */
const directBucketsPerByte = 17;

/** A 32-bit avalanche of a context hash and a tag (order, nibble), so that contexts of different kinds never meet. */
function finalize(hash: number, tag: number): number {
  hash = Math.imul(hash ^ Math.imul(tag + 1, 0x9e3779b1), 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  return (hash ^ (hash >>> 16)) >>> 0;
}

/**
 * The byte-level context-mixing model in plain TypeScript, built from the components of this folder: the
 * readable definition of what `ByteCmModel` computes in WebAssembly (assembly/byte-cm-core.ts), which must
 * agree with it bit for bit (a test checks). A byte is predicted as 8 binary decisions, most significant bit first.
 * Each context (orders 0..6, words) keeps a bit history per node of the byte's binary tree; a StateMap per
 * context turns the history into a probability; a two-layer mixer combines them with the match model's
 * prediction; an APM by order 1 refines the result. `p()` is the 12-bit probability that the
 * next bit is 1, in [1, 4095]; `update(bit)` learns from the bit and moves on. Integer arithmetic throughout,
 * so two models fed the same bits give the same probabilities on any platform.
 *
 * Every context, direct or hashed, keeps its states in 16-byte nibble buckets (node 1..15 of the nibble's
 * binary tree), so the state of the next bit is always `bases[j] + nibbleNode`, and the per-bit work is one
 * tight loop over flat typed arrays that learns from the bit and gathers the next inputs in the same pass.
 */
export class ByteCmReferenceModel {
  /** Every bit-history state: the hashed table first, then the direct order-0 and order-1 tables. */
  private readonly states: Uint8Array;
  private readonly table: NibbleBucketTable;
  private readonly order0Offset: number;
  private readonly order1Offset: number;
  /** Contexts numbered: direct ones (order 0, order 1), hashed orders, word contexts. */
  private readonly directCount: number;
  private readonly hashedOrders: Int32Array;
  private readonly contextCount: number;
  /** Per context: 1 for a hashed order (whose seen nodes the mixer counts), else 0. */
  private readonly countsAsKnown: Int32Array;
  /** Per context: the base of its 16-state bucket for the current nibble. */
  private readonly bases: Int32Array;
  /** Per context: where its state for the current bit lives. */
  private readonly slots: Int32Array;
  /** Per hashed context: the hash of its byte context, computed at the byte boundary. */
  private readonly contextHashes: Int32Array;
  /** Per hashed context: the hash of its context and the current nibble. */
  private readonly nibbleHashes: Int32Array;
  /** Sink of the cache-warming reads (so that they are not optimized away). */
  private touched = 0;
  /** The StateMap of every context (context j's states at 256·j + state), packed as StateMap keeps them. */
  private readonly maps: StateMap;
  private readonly mapEntries: Int32Array;
  private readonly mapLimit: number;
  private readonly match: MatchModel | undefined;
  private readonly mixer: MixerNetwork;
  private readonly inputs: Int32Array;
  private readonly apmOrder1 = new Apm(65536);
  private readonly words: boolean;

  /** The current byte's bits so far with a leading 1 (1..255), and its bits in the current nibble likewise. */
  private partial = 1;
  private nibbleNode = 1;
  private bitIndex = 0;
  /** The last 8 bytes, most recent in the low byte of `recent`. */
  private recent = 0;
  private older = 0;
  private word = 0;
  private previousWord = 0;
  private wordBeforePrevious = 0;
  private probability = 2048;
  private bytes = 0;

  constructor(options: ByteCmOptions = defaultByteCmOptions) {
    const orders = [...new Set(options.orders)].sort((a, b) => a - b);
    for (const order of orders) {
      if (!Number.isInteger(order) || order < 1 || order > 8) throw new RangeError(`byte-cm: order ${order} is not in 1..8`);
    }
    this.hashedOrders = Int32Array.from(orders.filter((order) => order >= 2));
    this.directCount = orders.includes(1) ? 2 : 1;
    this.words = options.words;
    this.contextCount = this.directCount + this.hashedOrders.length + (this.words ? wordContextCount : 0);
    this.countsAsKnown = Int32Array.from({ length: this.contextCount }, (_, j) => (j >= this.directCount && j < this.directCount + this.hashedOrders.length ? 1 : 0));

    const hashedBytes = 2 ** options.memory;
    this.states = new Uint8Array(hashedBytes + directBucketsPerByte * 16 * 257);
    this.table = new NibbleBucketTable(this.states.subarray(0, hashedBytes));
    this.order0Offset = hashedBytes;
    this.order1Offset = hashedBytes + directBucketsPerByte * 16;
    this.bases = new Int32Array(this.contextCount);
    this.slots = new Int32Array(this.contextCount);
    this.contextHashes = new Int32Array(this.contextCount);
    this.nibbleHashes = new Int32Array(this.contextCount);
    this.maps = StateMap.forBitHistories(this.contextCount);
    this.mapEntries = this.maps.entries;
    this.mapLimit = this.maps.limit;
    this.match = options.matchMinLength > 0 ? new MatchModel(22, 20, options.matchMinLength) : undefined;

    const width = 1 + this.contextCount + (this.match ? 1 : 0);
    // first layer: weights by the bits of the byte so far; by how many hashed orders know this node, and the last byte's top bits
    this.mixer = new MixerNetwork(width, [256, (this.hashedOrders.length + 1) * 32], 256, 4, 2);
    this.inputs = this.mixer.inputs;
    this.inputs[0] = 256;
    this.beginByte(undefined);
    this.findBuckets();
    this.probability = this.predict(this.gather());
  }

  /** The 12-bit probability (in [1, 4095]) that the next bit is 1. */
  p(): number {
    return this.probability;
  }

  /** Learns the bit just coded (the one `p()` was about) and predicts the next. */
  update(bit: number): void {
    const partial = (this.partial << 1) | bit;
    this.partial = partial;
    const bitIndex = this.bitIndex + 1;
    this.bitIndex = bitIndex;
    let known: number;
    if (bitIndex === 4 || bitIndex === 8) {
      this.learn(bit);
      this.nibbleNode = 1;
      // start the next nibble's bucket reads, then learn elsewhere while the cache misses are pending
      if (bitIndex === 8) this.beginByte(partial & 255);
      else this.beginSecondNibble(partial);
      this.learnOutsideContexts(bit);
      if (bitIndex === 8) this.match?.updateByte(partial & 255);
      this.findBuckets();
      known = this.gather();
    } else {
      this.learnOutsideContexts(bit);
      this.nibbleNode = (this.nibbleNode << 1) | bit;
      known = this.learnAndGather(bit);
    }
    this.probability = this.predict(known);
  }

  /** The mixer, the APM and the match model learn from the prediction just made (before the next overwrites its inputs). */
  private learnOutsideContexts(bit: number): void {
    this.mixer.update(bit);
    this.apmOrder1.update(bit);
    this.match?.update(bit);
  }

  /**
   * Every context learns the bit: its StateMap entry (inlined `StateMap.update`) moves toward the bit and its
   * state steps to the next bit history. The state is read again here, not remembered from the prediction:
   * two hashed contexts that share a bucket then update it one after the other, as they always have.
   */
  private learn(bit: number): void {
    const states = this.states;
    const slots = this.slots;
    const entries = this.mapEntries;
    const rates = stateMapRates;
    const next = nextState;
    const limit = this.mapLimit;
    // bit 1: move by (2^22 − p)/32·rate/256 up; bit 0: by (p/32)·rate/256 down
    for (let j = 0; j < this.contextCount; j++) {
      const slot = slots[j];
      const state = states[slot];
      const index = (j << 8) | state;
      const entry = entries[index];
      const n = entry & 1023;
      const p = entry >>> 10;
      const rate = rates[n];
      const moved = bit === 1 ? p + (((((1 << 22) - p) >> 5) * rate) >> 8) : p - (((p >> 5) * rate) >> 8);
      entries[index] = (moved << 10) | (n < limit ? n + 1 : n);
      states[slot] = next[2 * state + bit];
    }
  }

  /**
   * The inputs of the next prediction after a nibble boundary (every context at node 1 of a fresh bucket);
   * returns how many hashed orders have seen the node.
   */
  private gather(): number {
    const states = this.states;
    const slots = this.slots;
    const bases = this.bases;
    const entries = this.mapEntries;
    const inputs = this.inputs;
    const stretch = stretchLookup;
    const countsAsKnown = this.countsAsKnown;
    const node = this.nibbleNode;
    let known = 0;
    for (let j = 0; j < this.contextCount; j++) {
      const slot = bases[j] + node;
      slots[j] = slot;
      const state = states[slot];
      // (state + 255) >> 8 is 1 for a seen node, 0 for a fresh one
      known += countsAsKnown[j] & ((state + 255) >> 8);
      inputs[j + 1] = stretch[entries[(j << 8) | state] >>> 20];
    }
    return known;
  }

  /**
   * `learn` and `gather` in one pass inside a nibble. Exact: context j reads its child node only after
   * writing its own, and no other context writes either (buckets are 16-aligned; nodes differ).
   */
  private learnAndGather(bit: number): number {
    const states = this.states;
    const slots = this.slots;
    const bases = this.bases;
    const entries = this.mapEntries;
    const inputs = this.inputs;
    const rates = stateMapRates;
    const next = nextState;
    const stretch = stretchLookup;
    const countsAsKnown = this.countsAsKnown;
    const limit = this.mapLimit;
    const node = this.nibbleNode;
    let known = 0;
    for (let j = 0; j < this.contextCount; j++) {
      const slot = slots[j];
      const state = states[slot];
      const index = (j << 8) | state;
      const entry = entries[index];
      const n = entry & 1023;
      const p = entry >>> 10;
      const rate = rates[n];
      const moved = bit === 1 ? p + (((((1 << 22) - p) >> 5) * rate) >> 8) : p - (((p >> 5) * rate) >> 8);
      entries[index] = (moved << 10) | (n < limit ? n + 1 : n);
      states[slot] = next[2 * state + bit];

      const nextSlot = bases[j] + node;
      slots[j] = nextSlot;
      const nextStateHere = states[nextSlot];
      known += countsAsKnown[j] & ((nextStateHere + 255) >> 8);
      inputs[j + 1] = stretch[entries[(j << 8) | nextStateHere] >>> 20];
    }
    return known;
  }

  /**
   * The byte just coded (none before the first) moves the contexts on: every hashed context gets its new
   * byte-context hash, and the reads of its first nibble's bucket start.
   */
  private beginByte(byte: number | undefined): void {
    this.partial = 1;
    this.nibbleNode = 1;
    this.bitIndex = 0;
    if (byte !== undefined) {
      this.older = (this.older << 8) | (this.recent >>> 24);
      this.recent = (this.recent << 8) | byte;
      this.bytes++;
      if (isLetter[byte]) {
        const lower = byte >= 65 && byte <= 90 ? byte + 32 : byte;
        this.word = Math.imul(this.word ^ lower, 0x01000193) + 0x7f4a7c15;
      } else if (this.word !== 0) {
        this.wordBeforePrevious = this.previousWord;
        this.previousWord = this.word;
        this.word = 0;
      }
    }
    const last = this.recent & 255;
    this.bases[0] = this.order0Offset;
    if (this.directCount === 2) this.bases[1] = this.order1Offset + last * directBucketsPerByte * 16;
    const hashedOrders = this.hashedOrders;
    const contextHashes = this.contextHashes;
    let hash = 0;
    let order = 0;
    let j = this.directCount;
    for (let k = 0; k < hashedOrders.length; k++) {
      const wanted = hashedOrders[k];
      for (; order < wanted; order++) {
        const byte = order < 4 ? (this.recent >>> (8 * order)) & 255 : (this.older >>> (8 * (order - 4))) & 255;
        hash = Math.imul(hash ^ byte, 0x2c1b3c6d) + order + 1;
      }
      contextHashes[j++] = finalize(hash, wanted);
    }
    if (this.words) {
      const word = this.word;
      const previous = Math.imul(this.previousWord, 0x1b873593);
      const beforePrevious = Math.imul(this.wordBeforePrevious, 0x68e31da4);
      contextHashes[j++] = finalize(word + Math.imul(last, 0x3c6ef372), 100);
      contextHashes[j++] = finalize(word + previous, 101);
      contextHashes[j++] = finalize(word + previous + beforePrevious, 102);
      contextHashes[j++] = finalize(word + beforePrevious, 103);
    }
    this.touchBuckets(0);
  }

  /** At bit 4: the direct contexts move to the bucket of the high nibble, the hashed ones look theirs up. */
  private beginSecondNibble(partial: number): void {
    const highNibbleBucket = (partial - 15) * 16;
    this.bases[0] = this.order0Offset + highNibbleBucket;
    if (this.directCount === 2) this.bases[1] = this.order1Offset + (this.recent & 255) * directBucketsPerByte * 16 + highNibbleBucket;
    this.touchBuckets(partial);
  }

  /**
   * Hashes every hashed context with the nibble starting now (`nibble` 0, or 16..31 for the second) and reads
   * its home bucket: the cache misses overlap each other and the work done before `findBuckets`.
   */
  private touchBuckets(nibble: number): void {
    const hashes = this.nibbleHashes;
    const contextHashes = this.contextHashes;
    const table = this.table;
    const count = this.contextCount;
    let touched = this.touched;
    for (let j = this.directCount; j < count; j++) {
      const hash = finalize(contextHashes[j], nibble);
      hashes[j] = hash;
      touched ^= table.touch(hash);
    }
    this.touched = touched;
  }

  /** Looks up (or claims) the bucket of every hashed context for the nibble starting now. */
  private findBuckets(): void {
    const hashes = this.nibbleHashes;
    const bases = this.bases;
    const table = this.table;
    const count = this.contextCount;
    for (let j = this.directCount; j < count; j++) bases[j] = table.find(hashes[j] >>> 0);
  }

  /** Mixes the gathered inputs (with the match model's) and refines the result: the next 12-bit probability. */
  private predict(known: number): number {
    const mixer = this.mixer;
    const partial = this.partial;
    const last = this.recent & 255;
    if (this.match) this.inputs[this.contextCount + 1] = this.match.predict(partial, this.bitIndex);
    mixer.select(0, partial);
    mixer.select(1, known * 32 + (last >> 3));
    const p = mixer.mix(partial);
    // the APM by order 1 weighs 3/4 (an order-0 APM beside it measured no better)
    const refined = this.apmOrder1.refine(p, (last << 8) | partial);
    const final = (p + 3 * refined + 2) >> 2;
    return final < 1 ? 1 : final > 4095 ? 4095 : final;
  }

  /** Counts for `Predictor.statistics()`. */
  statistics(): Record<string, number> {
    return { bytes: this.bytes, contexts: this.contextCount, evictions: this.table.evictions };
  }
}
