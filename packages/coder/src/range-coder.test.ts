import { readFileSync } from 'node:fs';
import { KolmoError, type Predictor, type StageContext, type SymbolCodec, type TokenBatch } from '@kolmo/core';
import { describe, expect, it } from 'vitest';
import { adaptiveBytesIdealBits, createAdaptiveBytes } from './builtin-predictors.fixture.ts';
import { RangeDecoder, RangeEncoder } from '@kolmo/entropy-coding';
import { rangeCoder } from './range-coder.ts';

const alice = readFileSync(new URL('../../../examples/corpora/alice29.txt', import.meta.url));

function batches(bytes: Uint8Array, size: number): TokenBatch[] {
  const out: TokenBatch[] = [];
  for (let start = 0; start < bytes.length; start += size) {
    const ids = Int32Array.from(bytes.subarray(start, start + size));
    out.push({ length: ids.length, ids } as TokenBatch);
  }
  return out;
}

async function createRangeCoder(config: unknown) {
  return rangeCoder.create(rangeCoder.config.parse(config), {} as StageContext);
}

describe('range coder stage', () => {
  it('codes every token through the codec: bits of the quantized distribution, bytes per batch and in total', async () => {
    const coder = await createRangeCoder({});
    const session = coder.open('kt', await createAdaptiveBytes());
    let bits = 0;
    let batchBytes = 0;
    const codec = (await createAdaptiveBytes()).codec!(24);
    const reference = new RangeEncoder();
    for (const batch of batches(alice, 10_000)) {
      const scored = await session.code(batch);
      expect(scored.predictor).toBe('kt');
      expect(scored.bits.length).toBe(batch.length);
      const expected = Float64Array.from(batch.ids, (id) => codec.encode(id, reference));
      expect(Buffer.from(scored.bits.buffer).equals(Buffer.from(expected.buffer))).toBe(true);
      bits += scored.bits.reduce((a, b) => a + b, 0);
      batchBytes += scored.codedBytes ?? NaN;
    }
    const { codedBytes = NaN } = session.finish();
    const stream = reference.finish();
    expect(codedBytes).toBe(stream.length); // the same bytes a plain encoder makes
    expect(batchBytes).toBeLessThanOrEqual(codedBytes);
    expect(codedBytes - batchBytes).toBeLessThan(8);
    expect(codedBytes).toBeLessThanOrEqual(Math.ceil(bits / 8) + 2);
    // …and those bytes decode back to the text.
    const decoder = new RangeDecoder(stream);
    const decoding = (await createAdaptiveBytes()).codec!(24);
    const decoded = new Uint8Array(alice.length);
    for (let i = 0; i < alice.length; i++) decoded[i] = decoding.decode(decoder);
    expect(Buffer.from(decoded).equals(alice)).toBe(true);
  });

  it('comes within the theory §8 bound of the ideal coder on the same predictor', async () => {
    const idealBits = await adaptiveBytesIdealBits(alice);
    for (const precision of [16, 24, 32]) {
      const session = (await createRangeCoder({ precision })).open('kt', await createAdaptiveBytes());
      for (const batch of batches(alice, 50_000)) session.code(batch);
      const { codedBytes = NaN } = session.finish();
      const perSymbol = -Math.log2(1 - 256 / 2 ** precision) - Math.log2(1 - 2 ** (precision - 40));
      expect(codedBytes * 8).toBeLessThanOrEqual(idealBits + alice.length * perSymbol + 16);
    }
  });

  it('calls the codec’s beginDocument before each document’s first token, across batches', async () => {
    const events: string[] = [];
    const codec: SymbolCodec = {
      encode: (symbol) => {
        events.push(String(symbol));
        return 1;
      },
      decode: () => 0,
      beginDocument: () => events.push('|'),
    };
    const session = (await createRangeCoder({})).open('docs', { score: () => new Float64Array(0), codec: () => codec });
    const batch = (ids: number[], doc: number[]) => ({ length: ids.length, ids: Int32Array.from(ids), doc: Int32Array.from(doc) }) as TokenBatch;
    session.code(batch([1, 2, 3], [0, 0, 1]));
    session.code(batch([4, 5, 6], [1, 2, 2]));
    session.code(batch([7], [3]));
    expect(events.join('')).toBe('|12|34|56|7'); // doc 1 spans the batch boundary
  });

  it('defaults to P = 24 and refuses precisions outside [1, 32]', () => {
    expect(rangeCoder.config.parse({})).toEqual({ precision: 24 });
    expect(rangeCoder.config.safeParse({ precision: 33 }).success).toBe(false);
    expect(rangeCoder.config.safeParse({ precision: 23.5 }).success).toBe(false);
  });

  it('refuses a predictor without codec(), naming it and the alternative', async () => {
    const coder = await createRangeCoder({});
    const scoreOnly: Predictor = { score: (tokens) => new Float64Array(tokens.length) };
    expect(() => coder.open('llm', scoreOnly)).toThrow(KolmoError);
    expect(() => coder.open('llm', scoreOnly)).toThrow(/predictor "llm" has no codec\(\).*coder: \{ type: ideal \}/);
  });

  it('reports a precision too small for the vocabulary when the session opens', async () => {
    const coder = await createRangeCoder({ precision: 7 });
    const predictor = await createAdaptiveBytes();
    expect(() => coder.open('kt', predictor)).toThrow(/7 bits cannot code 256 symbols/);
  });
});
