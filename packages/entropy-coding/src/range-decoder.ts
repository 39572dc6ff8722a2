import { KolmoError, type EntropyDecoder } from '@kolmo/core';
import { bottom, checkTotalBits, inverseTotals, windowBytes, windowSize } from './range-coder-window.ts';

/**
 * The decoder of RangeEncoder. `code` is the coded value minus `low`, kept in the same 48-bit window; bytes past
 * the end of the input read as zero, as the encoder's ending assumes.
 *
 * A valid stream never leaves its interval and reads exactly `windowBytes − 1` or `windowBytes` bytes past its
 * end; anything else means the input is corrupted, and the decoder says so (KolmoError 'input') instead of
 * decoding on into garbage.
 */
export class RangeDecoder implements EntropyDecoder {
  private code = 0;
  private range = windowSize - 1;
  private position = 0;
  private readonly bytes: Uint8Array;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    for (let i = 0; i < windowBytes; i++) this.code = this.code * 256 + this.nextByte();
  }

  target(totalBits: number): number {
    const inverse = inverseTotals[totalBits];
    if (!(inverse > 0)) checkTotalBits(totalBits);
    const r = Math.floor(this.range * inverse);
    let target = Math.floor(this.code / r);
    // The quotient is exact for code < 2^48 and r < 2^(48−P) (see range-coder-window.ts); stay safe anyway.
    if (target * r > this.code) target--;
    if (target * inverse >= 1) throw corrupted('the decoder left its interval');
    return target;
  }

  consume(cumulative: number, frequency: number, totalBits: number): void {
    const r = Math.floor(this.range * inverseTotals[totalBits]);
    this.code -= r * cumulative;
    this.range = r * frequency;
    if (!(this.code >= 0 && this.code < this.range)) throw corrupted('the symbol does not contain the coded value');
    while (this.range < bottom) {
      this.code = this.code * 256 + this.nextByte();
      this.range *= 256;
    }
  }

  /** Bytes read so far, counting the zeros read past the end. */
  get bytesRead(): number {
    return this.position;
  }

  /** Throws unless the whole input was read exactly as a valid stream of this length would be. */
  finish(): void {
    const past = this.position - this.bytes.length;
    if (past < windowBytes - 1) throw corrupted(`${windowBytes - 1 - past} bytes after the last symbol were never read`);
  }

  private nextByte(): number {
    const position = this.position++;
    if (position < this.bytes.length) return this.bytes[position];
    if (position >= this.bytes.length + windowBytes) throw corrupted('the decoder ran past the end of its input');
    return 0;
  }
}

function corrupted(reason: string): KolmoError {
  return new KolmoError('input', `corrupted payload: ${reason}`);
}
