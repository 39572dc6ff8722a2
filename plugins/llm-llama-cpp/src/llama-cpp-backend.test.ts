import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compressText, decompressText, GgufFile, logNormalizer, type InProcessBackend } from '@kolmo/llm-inproc';
import { ReferenceLlama, lmFixture, skValidationDocuments } from '@kolmo/llm-inproc/testing';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLlamaCppBackend } from './llama-cpp-backend.ts';

const fixture = lmFixture('sk-200k', 400);
const temp = mkdtempSync(join(tmpdir(), 'kolmo-llama-cpp-'));
let backend: InProcessBackend;
let requests: { ids: Int32Array; scoreFrom: number }[];
let texts: string[];

beforeAll(async () => {
  backend = await createLlamaCppBackend({ model: fixture.gguf }, '/');
  const documents = await skValidationDocuments(4);
  texts = documents.texts;
  requests = documents.ids.map((ids) => ({ ids: Int32Array.of(documents.endOfDocument, ...ids), scoreFrom: 1 }));
});

afterAll(async () => {
  await backend?.close();
  rmSync(temp, { recursive: true, force: true });
});

/** Per-token bits of each request from rows of logits (any shift per row). */
function bitsFromLogits(logits: Float32Array, ids: Int32Array, V: number): number[] {
  return Array.from(ids.subarray(1), (id, i) => -(logits[i * V + id]! - logNormalizer(logits, i * V, V)) / Math.LN2);
}

/** The ONNX export of the same checkpoint, run directly in ONNX Runtime (the onnx plugin's engine is another plugin). */
async function onnxBits(ids: Int32Array): Promise<number[]> {
  const session = await ort.InferenceSession.create(fixture.onnx, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  try {
    const input = new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), [1, ids.length]);
    const output = (await session.run({ [session.inputNames[0]!]: input }))[session.outputNames[0]!]!;
    return bitsFromLogits(output.data as Float32Array, ids, output.dims[2]!);
  } finally {
    await session.release();
  }
}

describe('llama-cpp backend', () => {
  it("reads a train-lm fixture's vocabulary from the GGUF and says what it is", async () => {
    expect(backend.capabilities).toMatchObject({ distribution: 'full', deterministic: true, bosTokenId: 725, vocabularySize: 726, maxContextTokens: 64 });
    expect(backend.identity.id).toMatch(/^llama-cpp:sk-200k@step-400:sha256-[0-9a-f]{16}:cpu-f32-kv-1-thread:ctx-64$/);
    const tokens = await backend.tokenize(texts);
    tokens.forEach((t, d) => expect(Array.from(t.ids)).toEqual(Array.from(requests[d]!.ids.subarray(1))));
  });

  it('scores within 1e-3 bits per token of the TypeScript reference forward pass and of the ONNX export', async () => {
    const reference = new ReferenceLlama(await GgufFile.read(fixture.gguf));
    const scored = await backend.scoreTokens(requests);
    let worstReference = 0;
    let worstOnnx = 0;
    for (const [r, s] of scored.entries()) {
      const ids = requests[r]!.ids;
      const expected = bitsFromLogits(Float32Array.from(reference.logits(ids)), ids, reference.vocabularySize);
      const onnx = await onnxBits(ids);
      s.logProbs.forEach((logProb, i) => {
        worstReference = Math.max(worstReference, Math.abs(-logProb / Math.LN2 - expected[i]!));
        worstOnnx = Math.max(worstOnnx, Math.abs(-logProb / Math.LN2 - onnx[i]!));
      });
    }
    expect(worstReference).toBeLessThan(1e-3);
    expect(worstOnnx).toBeLessThan(1e-3);
  });

  it('scores the same text twice bit for bit the same, and its distributions are normalised and agree', async () => {
    const first = await backend.scoreTokens(requests);
    const again = await backend.scoreTokens([...requests].reverse());
    first.forEach((s, r) => expect(Buffer.from(again[requests.length - 1 - r]!.logProbs.buffer)).toEqual(Buffer.from(s.logProbs.buffer)));
    const rows = await backend.distributions(requests[1]!);
    const V = 726;
    expect(rows).toHaveLength(requests[1]!.ids.length * V);
    for (let row = 0; row < requests[1]!.ids.length; row++) {
      expect(logNormalizer(rows, row * V, V)).toBeCloseTo(0, 5);
      if (row + 1 < requests[1]!.ids.length) expect(rows[row * V + requests[1]!.ids[row + 1]!]).toBeCloseTo(first[1]!.logProbs[row]!, 5);
    }
  });

  it('refuses a broken model file and a request longer than the context, with clear errors', async () => {
    writeFileSync(join(temp, 'model.gguf'), 'GGUF but not really a model file at all, only text');
    copyFileSync(fixture.card, join(temp, 'card.json'));
    await expect(createLlamaCppBackend({ model: 'model.gguf' }, temp)).rejects.toMatchObject({ kind: 'input', message: expect.stringMatching(/model\.gguf/) });
    await expect(createLlamaCppBackend({ model: 'missing.gguf' }, temp)).rejects.toThrow(/missing\.gguf: cannot read the model/);
    await expect(backend.scoreTokens([{ ids: new Int32Array(65).fill(3), scoreFrom: 1 }])).rejects.toThrow(/65 tokens exceed the model's context of 64/);
    expect(readFileSync(join(temp, 'card.json'), 'utf8')).toContain('kolmo-lm-card');
  });
});

describe('llama-cpp backend, byte-level model', () => {
  it('scores UTF-8 bytes within 1e-3 bits per byte of the reference forward pass and of ONNX', async () => {
    const bytes = lmFixture('alice-bytes', 400);
    const model = await createLlamaCppBackend({ model: bytes.gguf }, '/');
    try {
      expect(model.capabilities).toMatchObject({ bosTokenId: 256, vocabularySize: 257 });
      const [tokens] = await model.tokenize(['Alice was beginning to get very tired of sitting by her sister on the bank.']);
      const ids = Int32Array.of(256, ...tokens!.ids.subarray(0, 63));
      const [scored] = await model.scoreTokens([{ ids, scoreFrom: 1 }]);
      const reference = new ReferenceLlama(await GgufFile.read(bytes.gguf));
      const expected = bitsFromLogits(Float32Array.from(reference.logits(ids)), ids, 257);
      const session = await ort.InferenceSession.create(bytes.onnx, { intraOpNumThreads: 1, interOpNumThreads: 1 });
      const output = (await session.run({ ids: new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), [1, ids.length]) })).logits!;
      await session.release();
      const onnx = bitsFromLogits(output.data as Float32Array, ids, 257);
      scored!.logProbs.forEach((logProb, i) => {
        expect(Math.abs(-logProb / Math.LN2 - expected[i]!)).toBeLessThan(1e-3);
        expect(Math.abs(-logProb / Math.LN2 - onnx[i]!)).toBeLessThan(1e-3);
      });
    } finally {
      await model.close();
    }
  });
});

describe('llama-cpp backend drives the range coder', () => {
  it('round-trips SK documents within ideal/8 × 1.001 + 64 bytes, and refuses another model file', async () => {
    const text = (await skValidationDocuments(8)).texts.join('');
    const coded = await compressText(text, backend);
    expect(coded.payloadBytes).toBeLessThanOrEqual((coded.idealBits / 8) * 1.001 + 64);
    expect(coded.idealBits).toBeGreaterThan(100);
    expect(await decompressText(coded.container, backend)).toBe(text);
    const other = await createLlamaCppBackend({ model: lmFixture('sk-200k', 159).gguf }, '/');
    try {
      await expect(decompressText(coded.container, other, { label: 'sk.kolmo' })).rejects.toThrow(/sk\.kolmo: coded with the model file of SHA-256 97ee6457/);
    } finally {
      await other.close();
    }
  });

  it('round-trips the start of alice29.txt with the byte-level model', async () => {
    const text = readFileSync(new URL('../../../examples/corpora/alice29.txt', import.meta.url), 'utf8').slice(0, 400);
    const model = await createLlamaCppBackend({ model: lmFixture('alice-bytes', 400).gguf }, '/');
    try {
      const coded = await compressText(text, model);
      expect(coded.payloadBytes).toBeLessThanOrEqual((coded.idealBits / 8) * 1.001 + 64);
      expect(await decompressText(coded.container, model)).toBe(text);
    } finally {
      await model.close();
    }
  });
});
