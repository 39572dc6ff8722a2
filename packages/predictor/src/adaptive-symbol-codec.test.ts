import { Rng, type EntropyDecoder, type EntropyEncoder, type TokenBatch } from '@kolmo/core';
import { describe, expect, it } from 'vitest';
import { AdaptiveSymbolPredictor } from './adaptive-bytes-predictor.ts';

interface Interval {
  cumulative: number;
  frequency: number;
  totalBits: number;
}

/** Records the intervals a codec asks for (an exact stand-in for an entropy encoder). */
class RecordingEncoder implements EntropyEncoder {
  readonly intervals: Interval[] = [];
  encode(cumulative: number, frequency: number, totalBits: number): void {
    this.intervals.push({ cumulative, frequency, totalBits });
  }
}

/** Replays recorded intervals, pointing at a random target inside each: the codec must find the same interval. */
class ReplayingDecoder implements EntropyDecoder {
  private index = 0;
  private readonly intervals: readonly Interval[];
  private readonly rng: Rng;
  constructor(intervals: readonly Interval[], rng: Rng) {
    this.intervals = intervals;
    this.rng = rng;
  }
  target(totalBits: number): number {
    const { cumulative, frequency } = this.intervals[this.index];
    expect(totalBits).toBe(this.intervals[this.index].totalBits);
    return cumulative + Math.floor(this.rng.nextFloat() * frequency);
  }
  consume(cumulative: number, frequency: number, totalBits: number): void {
    expect({ cumulative, frequency, totalBits }).toEqual(this.intervals[this.index++]);
  }
}

function tokens(ids: number[]): TokenBatch {
  return { length: ids.length, ids: Int32Array.from(ids) } as TokenBatch;
}

function zipfLike(rng: Rng, size: number, length: number): number[] {
  return Array.from({ length }, () => Math.min(size - 1, Math.floor(size ** rng.nextFloat()) - 1));
}

describe('AdaptiveSymbolPredictor.codec', () => {
  for (const { size, prior, totalBits } of [
    { size: 256, prior: 0.5, totalBits: 24 },
    { size: 1, prior: 0.5, totalBits: 8 },
    { size: 3, prior: 1, totalBits: 2 },
    { size: 5000, prior: 0.05, totalBits: 20 },
    { size: 256, prior: 0.3, totalBits: 32 },
  ]) {
    it(`V=${size}, a=${prior}, P=${totalBits}: frequencies ≥ 1 within 2^P, within the theory §8 bound of the model, decodable`, () => {
      const rng = new Rng(7, `codec-${size}`);
      const ids = zipfLike(rng, size, 3000);
      const modelBits = new AdaptiveSymbolPredictor(size, prior).score(tokens(ids));
      const codec = new AdaptiveSymbolPredictor(size, prior).codec(totalBits);
      const encoder = new RecordingEncoder();
      const bound = -Math.log2(1 - size / 2 ** totalBits);
      ids.forEach((id, i) => {
        const bits = codec.encode(id, encoder);
        const { cumulative, frequency } = encoder.intervals[i];
        expect(Number.isInteger(cumulative) && Number.isInteger(frequency) && frequency >= 1).toBe(true);
        expect(cumulative + frequency).toBeLessThanOrEqual(2 ** totalBits);
        expect(bits).toBeCloseTo(totalBits - Math.log2(frequency), 12);
        expect(bits).toBeLessThanOrEqual(modelBits[i] + bound + 1e-9);
      });
      const decoder = new ReplayingDecoder(encoder.intervals, rng.split('targets'));
      const decodingCodec = new AdaptiveSymbolPredictor(size, prior).codec(totalBits);
      expect(ids.map(() => decodingCodec.decode(decoder))).toEqual(ids);
    });
  }

  it('gives the whole interval to the only symbol, and uniform frequencies when 2^P = V', () => {
    const only = new AdaptiveSymbolPredictor(1, 0.5).codec(24);
    const encoder = new RecordingEncoder();
    expect(only.encode(0, encoder)).toBe(0);
    expect(encoder.intervals[0]).toEqual({ cumulative: 0, frequency: 2 ** 24, totalBits: 24 });
    const tight = new AdaptiveSymbolPredictor(4, 0.5).codec(2);
    for (let i = 0; i < 10; i++) expect(tight.encode(0, encoder)).toBe(2);
  });

  it('refuses a precision too small for the alphabet, or outside [1, 32]', () => {
    expect(() => new AdaptiveSymbolPredictor(256, 0.5).codec(7)).toThrow(/7 bits cannot code 256 symbols/);
    expect(() => new AdaptiveSymbolPredictor(2, 0.5).codec(33)).toThrow(/integer P in \[1, 32\]/);
    expect(() => new AdaptiveSymbolPredictor(2, 0.5).codec(0)).toThrow(/P/);
    expect(() => new AdaptiveSymbolPredictor(2, 0.5).codec(8).encode(2, new RecordingEncoder())).toThrow(/symbol 2 is outside/);
  });
});
