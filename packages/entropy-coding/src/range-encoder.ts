import type { EntropyEncoder } from '@kolmo/core';
import { bottom, checkTotalBits, inverseTotals, windowSize } from './range-coder-window.ts';

const topByteThreshold = 0xff * bottom;

/**
 * A range encoder with carry propagation (Schindler; the byte-oriented form LZMA uses), over a 48-bit window
 * held in exact doubles (see range-coder-window.ts). Totals are 2^totalBits with totalBits in [1, 32], each
 * call may use its own. The top byte of the window is held back (`cache`, followed by `pending` bytes of 0xFF)
 * until a carry can no longer change it. The first byte of the classic design (always 0) is never written.
 *
 * Output goes into a growable buffer; `take` hands out what is final so far, so a long stream keeps memory flat.
 */
export class RangeEncoder implements EntropyEncoder {
  private low = 0;
  private range = windowSize - 1;
  private cache = 0;
  private hasCache = false;
  private pending = 0;
  private buffer: Uint8Array;
  private length = 0;
  private taken = 0;
  private finished = false;

  constructor(initialCapacity = 1 << 16) {
    this.buffer = new Uint8Array(Math.max(16, initialCapacity));
  }

  encode(cumulative: number, frequency: number, totalBits: number): void {
    const inverse = inverseTotals[totalBits];
    // One combined test keeps the hot path short; the slow path says what was wrong.
    if (
      !(frequency >= 1 && cumulative >= 0 && (cumulative + frequency) * inverse <= 1) ||
      Math.floor(cumulative) !== cumulative ||
      Math.floor(frequency) !== frequency ||
      this.finished
    ) {
      this.reject(cumulative, frequency, totalBits);
    }
    const r = Math.floor(this.range * inverse);
    this.low += r * cumulative;
    this.range = r * frequency;
    while (this.range < bottom) {
      this.range *= 256;
      this.shiftLow();
    }
  }

  /** Bytes final so far, including any already taken (a few more are held back for a possible carry). */
  get committedBytes(): number {
    return this.taken + this.length;
  }

  /** The final bytes not yet taken (a copy), forgotten by the encoder. */
  take(): Uint8Array {
    const out = this.buffer.slice(0, this.length);
    this.taken += this.length;
    this.length = 0;
    return out;
  }

  /**
   * Ends the code and returns the bytes not yet taken. The ending picks the value in the final interval with
   * the most trailing zero bits, so it costs one or two bytes: the decoder reads zeros past the end.
   */
  finish(): Uint8Array {
    if (this.finished) throw new Error('range encoder: finish() was already called');
    const high = this.low + this.range; // exclusive
    for (let unit = windowSize; unit >= bottom; unit /= 2) {
      const aligned = Math.ceil(this.low / unit) * unit;
      if (aligned < high) {
        this.low = aligned;
        break;
      }
    }
    this.shiftLow(); // releases the held bytes, with the carry if the aligned value has one; `low` is now 0
    // What is left is the held byte and its 0xFF run, then zeros: write them unless they are all zero.
    if (this.pending > 0 || (this.hasCache && this.cache !== 0)) this.shiftLow();
    this.finished = true;
    return this.take();
  }

  private shiftLow(): void {
    const low = this.low;
    if (low < topByteThreshold || low >= windowSize) {
      const carry = low >= windowSize ? 1 : 0;
      if (this.hasCache) this.put(this.cache + carry);
      for (; this.pending > 0; this.pending--) this.put((0xff + carry) & 0xff);
      this.cache = Math.floor(low / bottom) & 0xff;
      this.hasCache = true;
    } else {
      this.pending++;
    }
    this.low = (low - Math.floor(low / bottom) * bottom) * 256;
  }

  private put(byte: number): void {
    if (this.length === this.buffer.length) {
      const grown = new Uint8Array(this.buffer.length * 2);
      grown.set(this.buffer);
      this.buffer = grown;
    }
    this.buffer[this.length++] = byte;
  }

  private reject(cumulative: number, frequency: number, totalBits: number): never {
    if (this.finished) throw new Error('range encoder: encode() after finish()');
    checkTotalBits(totalBits);
    throw new RangeError(
      `range encoder: need integers with frequency ≥ 1 and 0 ≤ cumulative, cumulative + frequency ≤ 2^${totalBits}; ` +
        `got cumulative ${cumulative}, frequency ${frequency}`,
    );
  }
}
