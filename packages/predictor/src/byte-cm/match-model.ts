import { StateMap } from './state-map.ts';
import { stretch } from './logistic.ts';

/** A fresh match model's StateMap: per length bucket (0..63) and expected bit, trust growing with the length. */
export function initialMatchBeliefs(): StateMap {
  return StateMap.startingAt(64 * 2, (context) => {
    const bucket = context >> 1;
    const length = bucket < 32 ? bucket : 32 + 16 * (bucket - 32);
    const trust = 1 - 1 / (length + 2);
    return context & 1 ? trust : 1 - trust;
  });
}

/**
 * Predicts the next bit from the longest earlier occurrence of the recent bytes: a hash of the last
 * `minimumLength` bytes points at where they last occurred; when the bytes before both places agree, the byte
 * that followed is the prediction. Its bits are believed according to a probability learned per match length
 * (and expected bit), and the match is dropped at the first wrong bit.
 */
export class MatchModel {
  private readonly history: Uint8Array;
  private readonly historyMask: number;
  private readonly positions: Int32Array;
  private readonly positionMask: number;
  private readonly minimumLength: number;
  /** Per length bucket and expected bit: how often the expected bit came. Starts trusting longer matches more. */
  private readonly believed = initialMatchBeliefs();
  /** Bytes seen so far (the next byte's absolute position). */
  private position = 0;
  /** Absolute position of the byte predicted next (valid while `length` > 0). */
  private pointer = 0;
  /** How many bytes before the pointer agree with the recent bytes (0 = no match). */
  length = 0;
  private predictedByte = 0;
  private context = 0;
  private expectedBit = 0;

  constructor(historyLog2: number, positionsLog2: number, minimumLength: number) {
    this.history = new Uint8Array(2 ** historyLog2);
    this.historyMask = 2 ** historyLog2 - 1;
    this.positions = new Int32Array(2 ** positionsLog2);
    this.positionMask = 2 ** positionsLog2 - 1;
    this.minimumLength = minimumLength;
  }

  /** A byte is complete: extend or look up the match. */
  updateByte(byte: number): void {
    const history = this.history;
    const mask = this.historyMask;
    history[this.position & mask] = byte;
    this.position++;
    const position = this.position;
    if (this.length > 0 && this.predictedByte === byte) {
      this.length++;
      this.pointer++;
    } else {
      this.length = 0;
    }
    if (position < this.minimumLength) return;
    let hash = 0;
    for (let k = 1; k <= this.minimumLength; k++) hash = Math.imul(hash ^ history[(position - k) & mask], 0x2f0b3a49) + k;
    hash = (hash ^ (hash >>> 15)) & this.positionMask;
    if (this.length === 0) {
      const candidate = this.positions[hash];
      if (candidate > 0 && position - candidate < mask) {
        let length = 0;
        while (length < 65535 && length < candidate && history[(candidate - 1 - length) & mask] === history[(position - 1 - length) & mask]) length++;
        if (length >= this.minimumLength) {
          this.length = length;
          this.pointer = candidate;
        }
      }
    }
    this.positions[hash] = position;
    if (this.length > 0) this.predictedByte = history[this.pointer & mask];
  }

  /** The length bucket 0..63 (0 = no match), for the mixer to select weights by. */
  get lengthBucket(): number {
    const length = this.length;
    if (length === 0) return 0;
    return length < 32 ? length : Math.min(63, 32 + ((length - 32) >> 4));
  }

  /**
   * The stretched prediction for the next bit given the bits of the current byte so far (`partial`, with a
   * leading 1, `bitIndex` bits known), or 0 when there is no match.
   */
  predict(partial: number, bitIndex: number): number {
    if (this.length === 0) return 0;
    const predicted = this.predictedByte | 256;
    if (predicted >> (8 - bitIndex) !== partial) {
      this.length = 0;
      return 0;
    }
    this.expectedBit = (predicted >> (7 - bitIndex)) & 1;
    this.context = this.lengthBucket * 2 + this.expectedBit;
    return stretch(this.believed.p(this.context));
  }

  /** Learns from the bit just coded (only when `predict` found a match). */
  update(bit: number): void {
    if (this.length > 0) this.believed.update(this.context, bit);
  }
}
