import { Apm } from './apm.ts';
import { nextState } from './bit-history.ts';
import { stretchLookup } from './logistic.ts';
import { MatchModel } from './match-model.ts';
import { MixerNetwork } from './mixer-network.ts';
import { NibbleBucketTable } from './nibble-bucket-table.ts';
import { StateMap } from './state-map.ts';

export interface ByteCmOptions {
  /** log2 of the bytes of the hashed bit-history table (24 = 16 MiB). */
  readonly memory: number;
  /** Context orders in 1..8 besides order 0 (always on): order 1 is a direct table, higher ones are hashed. */
  readonly orders: readonly number[];
  /** Whether to add the word contexts (the current word with the previous one, two, …). */
  readonly words: boolean;
  /** How many recent bytes the match model looks up (0 turns the match model off). */
  readonly matchMinLength: number;
}

export const defaultByteCmOptions: ByteCmOptions = { memory: 24, orders: [1, 2, 3, 4, 5, 6], words: true, matchMinLength: 8 };

/** Word contexts: current word + last byte, + previous word, + previous two words, + the word before the previous. */
const wordContextCount = 4;
/** Letters (ASCII, and any byte of a multi-byte UTF-8 character) make words; the rest separates them. */
const isLetter = Uint8Array.from({ length: 256 }, (_, c) => ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c >= 128 ? 1 : 0));

/** A 32-bit avalanche of a context hash and a tag (order, nibble), so that contexts of different kinds never meet. */
function finalize(hash: number, tag: number): number {
  hash = Math.imul(hash ^ Math.imul(tag + 1, 0x9e3779b1), 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  return (hash ^ (hash >>> 16)) >>> 0;
}

/**
 * The byte-level context-mixing model. A byte is predicted as 8 binary decisions, most significant bit first.
 * Each context (orders 0..6, words) keeps a bit history per node of the byte's binary tree; a StateMap per
 * context turns the history into a probability; a two-layer mixer combines them with the match model's
 * prediction; an APM by order 1 refines the result. `p()` is the 12-bit probability that the
 * next bit is 1, in [1, 4095]; `update(bit)` learns from the bit and moves on. Integer arithmetic throughout,
 * so two models fed the same bits give the same probabilities on any platform.
 */
export class ByteCmModel {
  /** Every bit-history state: the hashed table first, then the direct order-0 and order-1 tables. */
  private readonly states: Uint8Array;
  private readonly table: NibbleBucketTable;
  private readonly order0Offset: number;
  private readonly order1Offset: number;
  /** Contexts numbered: direct ones (order 0, order 1), hashed orders, word contexts. */
  private readonly directCount: number;
  private readonly hashedOrders: readonly number[];
  private readonly contextCount: number;
  /** Per context: the base of its states for the current byte (direct) or nibble (hashed). */
  private readonly bases: Int32Array;
  /** Per context: where its state for the current bit lives. */
  private readonly slots: Int32Array;
  /** Per hashed context: the hash of its byte context, computed at the byte boundary. */
  private readonly contextHashes: Uint32Array;
  /** Per hashed context: the hash of its context and the current nibble. */
  private readonly nibbleHashes: Uint32Array;
  /** Sink of the cache-warming reads (so that they are not optimized away). */
  private touched = 0;
  private readonly maps: StateMap;
  private readonly match: MatchModel | undefined;
  private readonly mixer: MixerNetwork;
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
    this.hashedOrders = orders.filter((order) => order >= 2);
    this.directCount = orders.includes(1) ? 2 : 1;
    this.words = options.words;
    this.contextCount = this.directCount + this.hashedOrders.length + (this.words ? wordContextCount : 0);

    const hashedBytes = 2 ** options.memory;
    this.states = new Uint8Array(hashedBytes + 256 + 65536);
    this.table = new NibbleBucketTable(this.states.subarray(0, hashedBytes));
    this.order0Offset = hashedBytes;
    this.order1Offset = hashedBytes + 256;
    this.bases = new Int32Array(this.contextCount);
    this.slots = new Int32Array(this.contextCount);
    this.contextHashes = new Uint32Array(this.contextCount);
    this.nibbleHashes = new Uint32Array(this.contextCount);
    this.maps = StateMap.forBitHistories(this.contextCount);
    this.match = options.matchMinLength > 0 ? new MatchModel(22, 20, options.matchMinLength) : undefined;

    const width = 1 + this.contextCount + (this.match ? 1 : 0);
    // first layer: weights by the bits of the byte so far; by how many hashed orders know this node, and the last byte's top bits
    this.mixer = new MixerNetwork(width, [256, (this.hashedOrders.length + 1) * 32], 256, 4, 2);
    this.beginByte();
    this.probability = this.predict();
  }

  /** The 12-bit probability (in [1, 4095]) that the next bit is 1. */
  p(): number {
    return this.probability;
  }

  /** Learns the bit just coded (the one `p()` was about) and predicts the next. */
  update(bit: number): void {
    const states = this.states;
    const slots = this.slots;
    const maps = this.maps;
    for (let j = 0; j < this.contextCount; j++) {
      const slot = slots[j];
      const state = states[slot];
      maps.update((j << 8) | state, bit);
      states[slot] = nextState[2 * state + bit];
    }
    this.match?.update(bit);
    this.mixer.update(bit);
    this.apmOrder1.update(bit);

    this.partial = (this.partial << 1) | bit;
    this.nibbleNode = (this.nibbleNode << 1) | bit;
    this.bitIndex++;
    if (this.bitIndex === 8) {
      this.endByte(this.partial & 255);
      this.beginByte();
    } else if (this.bitIndex === 4) {
      this.nibbleNode = 1;
      this.findBuckets(this.partial);
    }
    this.probability = this.predict();
  }

  private endByte(byte: number): void {
    this.older = (this.older << 8) | (this.recent >>> 24);
    this.recent = (this.recent << 8) | byte;
    this.bytes++;
    this.match?.updateByte(byte);
    if (isLetter[byte]) {
      const lower = byte >= 65 && byte <= 90 ? byte + 32 : byte;
      this.word = Math.imul(this.word ^ lower, 0x01000193) + 0x7f4a7c15;
    } else if (this.word !== 0) {
      this.wordBeforePrevious = this.previousWord;
      this.previousWord = this.word;
      this.word = 0;
    }
  }

  private beginByte(): void {
    this.partial = 1;
    this.nibbleNode = 1;
    this.bitIndex = 0;
    const last = this.recent & 255;
    this.bases[0] = this.order0Offset;
    if (this.directCount === 2) this.bases[1] = this.order1Offset + (last << 8);
    let hash = 0;
    let order = 0;
    let j = this.directCount;
    for (const wanted of this.hashedOrders) {
      for (; order < wanted; order++) {
        const byte = order < 4 ? (this.recent >>> (8 * order)) & 255 : (this.older >>> (8 * (order - 4))) & 255;
        hash = Math.imul(hash ^ byte, 0x2c1b3c6d) + order + 1;
      }
      this.contextHashes[j++] = finalize(hash, wanted);
    }
    if (this.words) {
      const word = this.word;
      const previous = Math.imul(this.previousWord, 0x1b873593);
      const beforePrevious = Math.imul(this.wordBeforePrevious, 0x68e31da4);
      this.contextHashes[j++] = finalize(word + Math.imul(last, 0x3c6ef372), 100);
      this.contextHashes[j++] = finalize(word + previous, 101);
      this.contextHashes[j++] = finalize(word + previous + beforePrevious, 102);
      this.contextHashes[j++] = finalize(word + beforePrevious, 103);
    }
    this.findBuckets(0);
  }

  /** Looks up the bucket of every hashed context for the nibble starting now (`nibble` 0, or 16..31 for the second). */
  private findBuckets(nibble: number): void {
    const hashes = this.nibbleHashes;
    for (let j = this.directCount; j < this.contextCount; j++) hashes[j] = finalize(this.contextHashes[j], nibble);
    // touch every home bucket first: the cache misses then overlap instead of coming one after another
    for (let j = this.directCount; j < this.contextCount; j++) this.touched ^= this.table.touch(hashes[j]);
    for (let j = this.directCount; j < this.contextCount; j++) this.bases[j] = this.table.find(hashes[j]);
  }

  private predict(): number {
    const states = this.states;
    const slots = this.slots;
    const bases = this.bases;
    const maps = this.maps;
    const mixer = this.mixer;
    const partial = this.partial;
    const nibbleNode = this.nibbleNode;
    const directCount = this.directCount;
    const knownLimit = directCount + this.hashedOrders.length;
    const inputs = mixer.inputs;
    inputs[0] = 256;
    let known = 0;
    for (let j = 0; j < this.contextCount; j++) {
      const slot = bases[j] + (j < directCount ? partial : nibbleNode);
      slots[j] = slot;
      const state = states[slot];
      if (state !== 0 && j >= directCount && j < knownLimit) known++;
      inputs[j + 1] = stretchLookup[maps.p((j << 8) | state)];
    }
    if (this.match) inputs[this.contextCount + 1] = this.match.predict(partial, this.bitIndex);
    mixer.select(0, partial);
    mixer.select(1, known * 32 + ((this.recent & 255) >> 3));
    const p = mixer.mix(partial);
    // the APM by order 1 weighs 3/4 (an order-0 APM beside it measured no better)
    const refined = this.apmOrder1.refine(p, ((this.recent & 255) << 8) | partial);
    const final = (p + 3 * refined + 2) >> 2;
    return final < 1 ? 1 : final > 4095 ? 4095 : final;
  }

  /** Counts for `Predictor.statistics()`. */
  statistics(): Record<string, number> {
    return { bytes: this.bytes, contexts: this.contextCount, evictions: this.table.evictions };
  }
}
