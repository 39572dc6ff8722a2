import { RangeDecoder, RangeEncoder } from '@kolmo/entropy-coding';
import { KolmoError, Rng } from '@kolmo/core';
import { describe, expect, it } from 'vitest';
import type { NgramModelOptions } from './create-ngram-model.ts';
import { NgramPredictor } from './ngram-predictor.ts';
import type { NgramSymbolCodec } from './ngram-symbol-codec.ts';
import { ExactArithmeticDecoder, ExactArithmeticEncoder } from './testing/exact-arithmetic-coder.ts';
import { MarkovSource } from './testing/markov-source.ts';
import { tokenBatchFrom } from './testing/token-batch-from.ts';

const configurations = (size: number): { name: string; options: NgramModelOptions }[] => [
  {
    name: 'Kneser–Ney',
    options: { smoothing: 'kneser-ney', vocabularySize: size, order: 2, resetAtDocument: true, discounts: [0.5, 1, 1.5], estimateDiscounts: true },
  },
  {
    name: 'Pitman–Yor, sampled seating',
    options: {
      smoothing: 'pitman-yor',
      vocabularySize: size,
      order: 3,
      resetAtDocument: true,
      discounts: [0.6, 0.7, 0.8, 0.9],
      concentrations: [1, 0.5, 0, -0.5],
      seating: 'sampled',
    },
  },
  {
    name: 'Pitman–Yor, minimal seating, running context',
    options: { smoothing: 'pitman-yor', vocabularySize: size, order: 1, resetAtDocument: false, discounts: [0.75, 0.75], concentrations: [1, 1], seating: 'minimal' },
  },
];

function sample(seed: number, size: number, length: number): { ids: Int32Array; docs: Int32Array } {
  const rng = new Rng(seed);
  const { ids } = new MarkovSource(rng.split('source'), size, 0.2).sample(rng.split('tokens'), length);
  return { ids, docs: ids.map((_, t) => Math.floor(t / 53)) };
}

/** Codes ids with `codec`, calling beginDocument where documents start, as a coder does. */
function encodeAll(codec: NgramSymbolCodec, encoder: ExactArithmeticEncoder | RangeEncoder, ids: Int32Array, docs: Int32Array): Float64Array {
  const bits = new Float64Array(ids.length);
  for (let t = 0; t < ids.length; t++) {
    if (t === 0 || docs[t] !== docs[t - 1]) codec.beginDocument();
    bits[t] = codec.encode(ids[t], encoder);
  }
  return bits;
}

function decodeAll(codec: NgramSymbolCodec, decoder: ExactArithmeticDecoder | RangeDecoder, docs: Int32Array): Int32Array {
  const ids = new Int32Array(docs.length);
  for (let t = 0; t < docs.length; t++) {
    if (t === 0 || docs[t] !== docs[t - 1]) codec.beginDocument();
    ids[t] = codec.decode(decoder);
  }
  return ids;
}

describe('NgramSymbolCodec', () => {
  it.each(configurations(40))('$name: round-trips through an exact arithmetic coder within the theory §8 bound of score', ({ options }) => {
    const { ids, docs } = sample(1, 40, 1500);
    // P = 7: 2^7 = 128 ≥ 2V, so the quantization overhead −log2(1 − V/2^P) ≈ 0.54 bits is large enough to see.
    for (const totalBits of [24, 7]) {
      const predictor = new NgramPredictor(options, () => new Rng(9).split('seating'));
      const ideal = predictor.score(tokenBatchFrom(ids, docs));
      const encoder = new ExactArithmeticEncoder();
      const bits = encodeAll(predictor.codec(totalBits) as NgramSymbolCodec, encoder, ids, docs);
      const decoded = decodeAll(predictor.codec(totalBits) as NgramSymbolCodec, new ExactArithmeticDecoder(encoder.finish()), docs);
      expect(decoded).toEqual(ids);

      const overhead = -Math.log2(1 - 40 / 2 ** totalBits);
      let total = 0;
      const violations: string[] = [];
      for (let t = 0; t < ids.length; t++) {
        total += bits[t];
        // 1e-9: score and the codec's full distribution round differently in the last bits of a double.
        if (!(bits[t] <= ideal[t] + overhead + 1e-9)) violations.push(`t = ${t}: ${bits[t]} > ${ideal[t]} + ${overhead}`);
      }
      expect(violations).toEqual([]);
      expect(encoder.codeLengthBits()).toBeCloseTo(total, 6);
      if (totalBits === 24) expect(Math.abs(total - ideal.reduce((a, b) => a + b, 0))).toBeLessThan(ids.length * overhead + 1e-6);
    }
  });

  it.each(configurations(300))('$name: round-trips through the range coder, V = 300', ({ options }) => {
    const { ids, docs } = sample(2, 300, 4000);
    const predictor = new NgramPredictor(options, () => new Rng(3));
    const encoder = new RangeEncoder();
    const bits = encodeAll(predictor.codec(24) as NgramSymbolCodec, encoder, ids, docs);
    const bytes = encoder.finish();
    const decoder = new RangeDecoder(bytes);
    expect(decodeAll(predictor.codec(24) as NgramSymbolCodec, decoder, docs)).toEqual(ids);
    decoder.finish();
    // The range coder's own cost: a few bytes at the end over the ideal bits of the quantized distribution.
    const idealBytes = bits.reduce((a, b) => a + b, 0) / 8;
    expect(bytes.length).toBeGreaterThanOrEqual(Math.floor(idealBytes));
    expect(bytes.length).toBeLessThan(idealBytes + 16);
  });

  it('quantizes the whole next-token distribution: integers ≥ 1 summing to 2^P, identical on both sides', () => {
    const { ids } = sample(3, 40, 250);
    const [{ options }] = configurations(40);
    const predictor = new NgramPredictor(options);
    const a = predictor.codec(12) as NgramSymbolCodec;
    const b = predictor.codec(12) as NgramSymbolCodec;
    const encoder = new ExactArithmeticEncoder();
    for (let t = 0; t < ids.length; t++) {
      const f = a.quantized();
      expect(f.every((x) => Number.isInteger(x) && x >= 1)).toBe(true);
      expect(f.reduce((s, x) => s + x, 0)).toBe(4096);
      expect(b.quantized()).toEqual(f);
      a.encode(ids[t], encoder);
      b.encode(ids[t], encoder);
    }
  });

  it('refuses a precision too small for the vocabulary', () => {
    const [{ options }] = configurations(300);
    const predictor = new NgramPredictor(options);
    expect(() => predictor.codec(9)).toThrow(KolmoError);
    expect(() => predictor.codec(10)).not.toThrow();
  });
});
