import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineStage, KolmoError, StageRegistry, type TokenBatch } from '@kolmo/core';
import fc from 'fast-check';
import { describe, expect, it, onTestFinished } from 'vitest';
import { z } from 'zod';
import { adaptiveBytesIdealBits, adaptiveBytesModel, adaptiveBytesStage } from './builtin-predictors.fixture.ts';
import { ByteModelRegistry, predictorByteModel } from './byte-model.ts';
import { compressBytes, compressFile, decompressBytes, decompressFile } from './compress.ts';
import { containerHead, containerTrailer, openContainer } from '@kolmo/entropy-coding';

const alicePath = fileURLToPath(new URL('../../../examples/corpora/alice29.txt', import.meta.url));
const alice = readFileSync(alicePath);
const adaptive = adaptiveBytesModel;
const models = new ByteModelRegistry().add(adaptive);

describe('compressBytes / decompressBytes', () => {
  it('round-trip arbitrary bytes at any precision and prior', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 3000 }),
        fc.integer({ min: 8, max: 32 }),
        fc.double({ min: 0.01, max: 4, noNaN: true }),
        async (data, precision, prior) => {
          const container = await compressBytes(data, adaptive, { precision, parameters: { prior } });
          expect(openContainer(container).header).toEqual({ model: 'adaptive-bytes', parameters: { prior }, precision, length: data.length });
          expect(await decompressBytes(container, models)).toEqual(data);
        },
      ),
      { numRuns: 150, seed: 29 },
    );
  });

  it('round-trip empty input, one byte, and one byte repeated', async () => {
    for (const data of [new Uint8Array(0), Uint8Array.of(0), Uint8Array.of(255), new Uint8Array(100_000).fill(97)]) {
      const container = await compressBytes(data, adaptive);
      expect(Buffer.from(await decompressBytes(container, models)).equals(data)).toBe(true);
    }
    expect((await compressBytes(new Uint8Array(0), adaptive)).length).toBeLessThan(160); // header JSON + trailer
  });

  it('compresses alice29.txt to within 0.1% + 64 bytes of the model ideal (theory §8), and back', async () => {
    const ideal = await adaptiveBytesIdealBits(alice);
    const container = await compressBytes(alice, adaptive);
    const { payload } = openContainer(container);
    expect(payload.length).toBeLessThanOrEqual((ideal / 8) * 1.001 + 64);
    // the sharper statement: per symbol −log2(1 − 256/2^24) + the coder's truncation, and one ending byte
    expect(payload.length * 8).toBeLessThanOrEqual(ideal + alice.length * (-Math.log2(1 - 2 ** -16) - Math.log2(1 - 2 ** -16)) + 8);
    expect(Buffer.from(await decompressBytes(container, models)).equals(alice)).toBe(true);
  });

  it('reports progress up to the total', async () => {
    const data = alice.subarray(0, 200_000);
    const seen: [number, number][] = [];
    const container = await compressBytes(data, adaptive, { onProgress: (done, total) => seen.push([done, total]) });
    expect(seen.at(-1)).toEqual([data.length, data.length]);
    expect(seen.every(([done], i) => i === 0 || done > seen[i - 1][0])).toBe(true);
    const decoded: number[] = [];
    await decompressBytes(container, models, { onProgress: (done) => decoded.push(done) });
    expect(decoded.at(-1)).toBe(data.length);
  });

  it('refuses a container of another model, or of a model not available, or with parameters it rejects', async () => {
    const container = await compressBytes(Buffer.from('some text'), adaptive);
    await expect(decompressBytes(container, models, { expectedModel: 'byte-cm' })).rejects.toThrow(
      /made with model "adaptive-bytes", not the expected "byte-cm"/,
    );
    await expect(decompressBytes(container, new ByteModelRegistry(), { label: 'a.kz' })).rejects.toThrow(
      /a\.kz: it was made with model "adaptive-bytes", which is not available here \(known models: none\)/,
    );
    const { payload, checksum } = openContainer(container);
    const forged = Buffer.concat([
      containerHead({ model: 'adaptive-bytes', parameters: { prior: -1 }, precision: 24, length: 9 }),
      payload,
      containerTrailer(payload.length, checksum),
    ]);
    await expect(decompressBytes(forged, models)).rejects.toThrow(/cannot be rebuilt from the recorded parameters: model adaptive-bytes: invalid parameters: prior/);
    const tooCoarse = Buffer.concat([
      containerHead({ model: 'adaptive-bytes', parameters: { prior: 0.5 }, precision: 7, length: 9 }),
      payload,
      containerTrailer(payload.length, checksum),
    ]);
    await expect(decompressBytes(tooCoarse, models)).rejects.toThrow(/7 bits cannot code 256 symbols/);
  });

  it('refuses a payload that decodes to other bytes (checksum) or cannot be decoded, always as an input error', async () => {
    const container = await compressBytes(alice.subarray(0, 5000), adaptive);
    const { payload } = openContainer(container);
    const start = container.length - 44 - payload.length;
    const kinds = new Set<string>();
    for (const offset of [0, 1, Math.floor(payload.length / 2), payload.length - 3]) {
      const damaged = container.slice();
      damaged[start + offset] ^= 0x10;
      const error = await decompressBytes(damaged, models).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(KolmoError);
      expect((error as KolmoError).kind).toBe('input');
      kinds.add((error as KolmoError).message.replace(/\(.*$/, ''));
    }
    expect([...kinds].join('|')).toMatch(/checksum mismatch|cannot be decoded/);
  });

  it('refuses model parameters it does not know when compressing', async () => {
    await expect(compressBytes(alice, adaptive, { parameters: { prior: 0 } })).rejects.toThrow(/model adaptive-bytes: invalid parameters: prior/);
    await expect(compressBytes(alice, adaptive, { precision: 33 })).rejects.toThrow(/precision: must be an integer in \[1, 32\]/);
  });
});

describe('byte models', () => {
  it('come from a stage registry by predictor type, and say which ones exist', () => {
    const stages = new StageRegistry();
    stages.add(adaptiveBytesStage, '@kolmo/predictor');
    const registry = ByteModelRegistry.fromStages(stages);
    expect(registry.ids()).toEqual(['adaptive-bytes']);
    expect(registry.require('adaptive-bytes').id).toBe('adaptive-bytes');
    expect(() => registry.require('nope')).toThrow(/unknown model "nope"; known models: adaptive-bytes/);
    expect(() => registry.add(adaptive)).toThrow(/registered twice/);
  });

  it('refuse a predictor that has no codec, clearly', async () => {
    const scoreOnly = defineStage({
      kind: 'predictor',
      type: 'score-only',
      description: 'scores, cannot code',
      config: z.object({}),
      create: () => ({ score: (tokens: TokenBatch) => new Float64Array(tokens.length) }),
    });
    await expect(compressBytes(alice, predictorByteModel(scoreOnly))).rejects.toThrow(/model score-only: the score-only predictor has no codec\(\)/);
  });
});

describe('compressFile / decompressFile', () => {
  it('round-trip a file through atomic writes, with progress', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kolmo-compress-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const packed = join(dir, 'alice.kz');
    const unpacked = join(dir, 'alice.txt');
    const progress: number[] = [];
    const summary = await compressFile(alicePath, packed, { model: adaptive, onProgress: (done) => progress.push(done) });
    expect(progress.at(-1)).toBe(alice.length);
    expect(summary.inputBytes).toBe(alice.length);
    expect(summary.outputBytes).toBe(readFileSync(packed).length);
    expect(summary.payloadBytes * 8).toBeLessThanOrEqual(summary.idealBits + 8 + alice.length * 3e-5);
    expect(readFileSync(packed).equals(await compressBytes(alice, adaptive))).toBe(true); // one format
    const result = await decompressFile(packed, unpacked, { models });
    expect(result.outputBytes).toBe(alice.length);
    expect(readFileSync(unpacked).equals(alice)).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['alice.kz', 'alice.txt']);
  });

  it('leaves no output when the container is corrupted, and names the input', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kolmo-compress-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const packed = join(dir, 'x.kz');
    await compressFile(alicePath, packed, { model: adaptive });
    const bytes = readFileSync(packed);
    bytes[bytes.length - 100] ^= 1;
    writeFileSync(packed, bytes);
    await expect(decompressFile(packed, join(dir, 'x.txt'), { models })).rejects.toThrow(/x\.kz: (checksum mismatch|cannot be decoded)/);
    expect(readdirSync(dir)).toEqual(['x.kz']);
  });

  it('refuses a missing input with an input error and writes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kolmo-compress-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const error = await compressFile(join(dir, 'missing.txt'), join(dir, 'out.kz'), { model: adaptive }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KolmoError);
    expect((error as KolmoError).kind).toBe('input');
    expect((error as KolmoError).message).toMatch(/cannot read .*missing\.txt: ENOENT/);
    expect(existsSync(join(dir, 'out.kz'))).toBe(false);
    await expect(decompressFile(join(dir, 'missing.kz'), join(dir, 'out.txt'), { models })).rejects.toThrow(/cannot read .*missing\.kz: ENOENT/);
  });
});
