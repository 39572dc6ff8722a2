import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quantizedBits, quantizeFrequencies } from './frequency-quantizer.ts';
import { FrequencyTableCodec } from './frequency-table-codec.ts';
import { maxTotalBits, windowBytes } from './range-coder-window.ts';
import { RangeDecoder } from './range-decoder.ts';
import { RangeEncoder } from './range-encoder.ts';

/** One coding step: an interval [cumulative, cumulative + frequency) of a total 2^totalBits. */
interface Step {
  readonly cumulative: number;
  readonly frequency: number;
  readonly totalBits: number;
}

/** The coder's own loss bound per symbol: the range truncated to r·2^P with r ≥ 2^(40−P) (range-coder-window.ts). */
const truncationBits = (totalBits: number) => -Math.log2(1 - 2 ** (totalBits - 40));

/** Encodes the steps, then decodes them back from the bytes (each decode checks the target lies in its step). */
function roundTrip(steps: readonly Step[]): { bytes: Uint8Array; decoder: RangeDecoder } {
  const encoder = new RangeEncoder(16);
  for (const { cumulative, frequency, totalBits } of steps) encoder.encode(cumulative, frequency, totalBits);
  const bytes = encoder.finish();
  const decoder = new RangeDecoder(bytes);
  steps.forEach(({ cumulative, frequency, totalBits }, i) => {
    const target = decoder.target(totalBits);
    if (target < cumulative || target >= cumulative + frequency) {
      throw new Error(`step ${i}: target ${target} outside [${cumulative}, ${cumulative + frequency})`);
    }
    decoder.consume(cumulative, frequency, totalBits);
  });
  decoder.finish();
  return { bytes, decoder };
}

/** The code length the steps pay ideally, plus the coder's truncation bound, plus the one ending byte. */
function sizeBoundBits(steps: readonly Step[]): number {
  let bits = 8;
  for (const { frequency, totalBits } of steps) bits += quantizedBits(frequency, totalBits) + truncationBits(totalBits);
  return bits + 1e-6;
}

const stepArbitrary = fc
  .integer({ min: 1, max: maxTotalBits })
  .chain((totalBits) =>
    fc
      .tuple(fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), fc.double({ min: 0, max: 1, noNaN: true }))
      .map(([start, width]): Step => {
        const total = 2 ** totalBits;
        const cumulative = Math.min(total - 1, Math.floor(start * total));
        const frequency = 1 + Math.floor(width * (total - cumulative - 1));
        return { cumulative, frequency, totalBits };
      }),
  );

describe('RangeEncoder and RangeDecoder', () => {
  it('round-trip any interval sequence, each step with its own precision, within the size bound', () => {
    fc.assert(
      fc.property(fc.array(stepArbitrary, { maxLength: 400 }), (steps) => {
        const { bytes, decoder } = roundTrip(steps);
        expect(bytes.length * 8).toBeLessThanOrEqual(sizeBoundBits(steps));
        // A valid stream reads exactly windowBytes − 1 or windowBytes bytes past its end (range-decoder.ts).
        expect(decoder.bytesRead - bytes.length).toBeGreaterThanOrEqual(windowBytes - 1);
        expect(decoder.bytesRead - bytes.length).toBeLessThanOrEqual(windowBytes);
      }),
      { numRuns: 300, seed: 0x5eed },
    );
  });

  it('round-trip random alphabets with skewed tables through FrequencyTableCodec', () => {
    const table = fc.array(fc.oneof(fc.constant(0), fc.double({ min: 1e-300, max: 1, noNaN: true }), fc.integer({ min: 0, max: 1e6 })), {
      minLength: 1,
      maxLength: 300,
    });
    fc.assert(
      fc.property(table, fc.integer({ min: 0, max: 2 ** 31 }), fc.integer({ min: 9, max: maxTotalBits }), (weights, seed, totalBits) => {
        const frequencies = quantizeFrequencies(weights, totalBits);
        const codec = new FrequencyTableCodec(frequencies, totalBits);
        const symbols = Array.from({ length: 300 }, (_, i) => (Math.imul(seed ^ i, 0x9e3779b1) >>> 0) % weights.length);
        const encoder = new RangeEncoder(16);
        let bits = 0;
        for (const symbol of symbols) bits += codec.encode(symbol, encoder);
        const bytes = encoder.finish();
        const decoder = new RangeDecoder(bytes);
        expect(symbols.map(() => codec.decode(decoder))).toEqual(symbols);
        decoder.finish();
        expect(bytes.length * 8).toBeLessThanOrEqual(bits + symbols.length * truncationBits(totalBits) + 8 + 1e-6);
      }),
      { numRuns: 200, seed: 0xa1fa },
    );
  });

  it('codes near-zero probabilities (frequency 1 of 2^24) at 24 bits each, and near-certain ones almost free', () => {
    const total = 2 ** 24;
    const rare: Step = { cumulative: total - 1, frequency: 1, totalBits: 24 }; // the top of the interval: carries
    const likely: Step = { cumulative: 0, frequency: total - 1, totalBits: 24 };
    const steps = Array.from({ length: 20_000 }, (_, i) => (i % 97 === 0 ? rare : likely));
    const { bytes } = roundTrip(steps);
    expect(bytes.length * 8).toBeLessThanOrEqual(sizeBoundBits(steps));
    const rareOnly = Array.from({ length: 1000 }, () => rare);
    expect(roundTrip(rareOnly).bytes.length).toBe(24 * 1000 / 8 + 1); // 24 bits each, the ending byte
  });

  it('propagates carries through long runs of 0xFF', () => {
    // Symbols at the very top of the interval push `low` up by almost the whole range: carries into held 0xFF bytes.
    const steps: Step[] = [];
    for (let i = 0; i < 5000; i++) {
      steps.push({ cumulative: 2 ** 16 - 2, frequency: 1, totalBits: 16 });
      steps.push({ cumulative: 2 ** 16 - 1, frequency: 1, totalBits: 16 });
      steps.push({ cumulative: 1, frequency: 2 ** 16 - 1, totalBits: 16 });
    }
    const { bytes } = roundTrip(steps);
    expect(bytes.filter((b) => b === 0xff).length).toBeGreaterThan(100);
  });

  it('works at the precision limits: 2^32 totals, frequency 1 at the top, a whole-range symbol', () => {
    const top = 2 ** maxTotalBits;
    const steps: Step[] = [
      { cumulative: top - 1, frequency: 1, totalBits: maxTotalBits },
      { cumulative: 0, frequency: 1, totalBits: maxTotalBits },
      { cumulative: 0, frequency: top, totalBits: maxTotalBits },
      { cumulative: 2 ** 31, frequency: 2 ** 31, totalBits: maxTotalBits },
      { cumulative: 1, frequency: 1, totalBits: 1 },
      { cumulative: top - 2, frequency: 2, totalBits: maxTotalBits },
    ];
    const many = Array.from({ length: 3000 }, (_, i) => steps[i % steps.length]);
    const { bytes } = roundTrip(many);
    expect(bytes.length * 8).toBeLessThanOrEqual(sizeBoundBits(many));
  });

  it('codes an empty stream and certain symbols in no bytes at all', () => {
    expect(roundTrip([]).bytes.length).toBe(0);
    expect(roundTrip(Array.from({ length: 1000 }, () => ({ cumulative: 0, frequency: 2 ** 24, totalBits: 24 }))).bytes.length).toBe(0);
  });

  it('hands out final bytes as it goes, and the pieces equal the one-shot output', () => {
    const steps = Array.from({ length: 5000 }, (_, i): Step => ({ cumulative: (i * 7) % 255, frequency: 1, totalBits: 8 }));
    const whole = new RangeEncoder();
    const streamed = new RangeEncoder(16);
    const pieces: number[] = [];
    steps.forEach(({ cumulative, frequency, totalBits }, i) => {
      whole.encode(cumulative, frequency, totalBits);
      streamed.encode(cumulative, frequency, totalBits);
      if (i % 100 === 99) {
        pieces.push(...streamed.take());
        expect(pieces.length).toBe(streamed.committedBytes);
      }
    });
    pieces.push(...streamed.finish());
    expect(Uint8Array.from(pieces)).toEqual(whole.finish());
  });

  it('refuses intervals that are not integer subsets of [0, 2^totalBits) with frequency ≥ 1', () => {
    const encoder = new RangeEncoder();
    expect(() => encoder.encode(0, 0, 8)).toThrow(/frequency ≥ 1/);
    expect(() => encoder.encode(200, 57, 8)).toThrow(/cumulative \+ frequency ≤ 2\^8/);
    expect(() => encoder.encode(-1, 2, 8)).toThrow(RangeError);
    expect(() => encoder.encode(0, 1.5, 8)).toThrow(RangeError);
    expect(() => encoder.encode(0.5, 1, 8)).toThrow(RangeError);
    expect(() => encoder.encode(0, 1, 0)).toThrow(/totalBits must be an integer in \[1, 32\]/);
    expect(() => encoder.encode(0, 1, 33)).toThrow(/totalBits/);
    expect(() => encoder.encode(0, 1, 8.5)).toThrow(/totalBits/);
    encoder.finish();
    expect(() => encoder.encode(0, 1, 8)).toThrow(/after finish/);
    expect(() => encoder.finish()).toThrow(/already/);
  });
});
