import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compressText, decompressText, GgufFile, logNormalizer, type InProcessBackend } from '@kolmo/llm-inproc';
import { ReferenceLlama, lmFixture, skCorpusHeader, skValidationDocuments } from '@kolmo/llm-inproc/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOnnxBackend } from './onnx-backend.ts';

const fixture = lmFixture('sk-200k', 400);
const temp = mkdtempSync(join(tmpdir(), 'kolmo-onnx-'));
let backend: InProcessBackend;
let requests: { ids: Int32Array; scoreFrom: number }[];
let texts: string[];

beforeAll(async () => {
  backend = await createOnnxBackend({ model: fixture.onnx, vocabulary: skCorpusHeader }, '/');
  const documents = await skValidationDocuments(4);
  texts = documents.texts;
  // Each document after its begin id (the corpus' end-of-document id), as train-lm scores held-out documents.
  requests = documents.ids.map((ids) => ({ ids: Int32Array.of(documents.endOfDocument, ...ids), scoreFrom: 1 }));
});

afterAll(async () => {
  await backend?.close();
  rmSync(temp, { recursive: true, force: true });
});

/** Per-token bits of a request from the reference forward pass (doubles, GGUF weights of the same checkpoint). */
function referenceBits(reference: ReferenceLlama, ids: Int32Array): number[] {
  const logits = Float32Array.from(reference.logits(ids));
  const V = reference.vocabularySize;
  return Array.from(ids.subarray(1), (id, i) => -(logits[i * V + id]! - logNormalizer(logits, i * V, V)) / Math.LN2);
}

describe('onnx backend', () => {
  it('says what it is: full distributions, deterministic, one CPU thread, the begin id and vocabulary', () => {
    expect(backend.capabilities).toMatchObject({ distribution: 'full', deterministic: true, bosTokenId: 725, vocabularySize: 726, maxContextTokens: 64 });
    expect(backend.identity.id).toMatch(/^onnx:sk-200k@step-400:sha256-[0-9a-f]{16}:cpu-1-thread$/);
    expect(backend.identity.revision).toBe(`sha256:${JSON.parse(readFileSync(fixture.card, 'utf8')).files.onnx.sha256}`);
  });

  it("tokenizes SK text into the corpus' ids", async () => {
    const tokens = await backend.tokenize(texts);
    tokens.forEach((t, d) => expect(Array.from(t.ids)).toEqual(Array.from(requests[d]!.ids.subarray(1))));
  });

  it('scores within 1e-4 bits per token of a plain TypeScript forward pass of the same weights (from the GGUF)', async () => {
    const reference = new ReferenceLlama(await GgufFile.read(fixture.gguf));
    const scored = await backend.scoreTokens(requests);
    let worst = 0;
    let total = 0;
    scored.forEach((s, r) => {
      const expected = referenceBits(reference, requests[r]!.ids);
      expect(s.logProbs).toHaveLength(expected.length);
      s.logProbs.forEach((logProb, i) => {
        worst = Math.max(worst, Math.abs(-logProb / Math.LN2 - expected[i]!));
        total += -logProb / Math.LN2;
      });
    });
    expect(worst).toBeLessThan(1e-4);
    expect(total / requests.length).toBeGreaterThan(1); // a trained model, still paying for names: not a degenerate 0
  });

  it('scores the same text twice, alone or in a batch, bit for bit the same', async () => {
    const first = await backend.scoreTokens(requests);
    const again = await backend.scoreTokens(requests);
    const alone = await Promise.all(requests.map(async (request) => (await backend.scoreTokens([request]))[0]!));
    first.forEach((s, r) => {
      expect(Buffer.from(again[r]!.logProbs.buffer)).toEqual(Buffer.from(s.logProbs.buffer));
      expect(Buffer.from(alone[r]!.logProbs.buffer)).toEqual(Buffer.from(s.logProbs.buffer));
    });
  });

  it('gives normalised next-token distributions that agree with scoreTokens, from scoreFrom − 1 to the end', async () => {
    const request = { ids: requests[0]!.ids, scoreFrom: 3 };
    const rows = await backend.distributions(request);
    const V = 726;
    expect(rows).toHaveLength((request.ids.length - 2) * V);
    const [scored] = await backend.scoreTokens([request]);
    for (let row = 0; row < rows.length / V; row++) {
      expect(logNormalizer(rows, row * V, V)).toBeCloseTo(0, 5);
      const i = request.scoreFrom + row; // the row after prefix ids[0..i−1] scores ids[i]
      if (i < request.ids.length) expect(rows[row * V + request.ids[i]!]).toBeCloseTo(scored!.logProbs[row]!, 5);
    }
  });

  it('refuses bad input with clear errors: a broken model file, the wrong vocabulary, unknown words, too long or bad requests', async () => {
    writeFileSync(join(temp, 'model.onnx'), 'not an ONNX model');
    copyFileSync(fixture.card, join(temp, 'card.json'));
    await expect(createOnnxBackend({ model: 'model.onnx', vocabulary: skCorpusHeader }, temp)).rejects.toMatchObject({
      kind: 'input',
      message: expect.stringMatching(/model\.onnx: ONNX Runtime cannot load this model/),
    });
    const header = JSON.parse(readFileSync(skCorpusHeader, 'utf8'));
    writeFileSync(join(temp, 'meta.json'), JSON.stringify({ ...header, vocabulary: header.vocabulary.slice(0, 700), endOfDocument: 699 }));
    await expect(createOnnxBackend({ model: fixture.onnx, vocabulary: join(temp, 'meta.json') }, '/')).rejects.toThrow(
      /the vocabulary \(700 ids, begin 699\) is not the model's \(726 ids, begin 725/,
    );
    await expect(createOnnxBackend({ model: fixture.onnx }, '/')).rejects.toThrow(/a word-level model needs vocabulary/);
    await expect(backend.tokenize(['Alice Liddell was born.'])).rejects.toThrow(/"Alice" at character 0 is not in the model's vocabulary/);
    await expect(backend.scoreTokens([{ ids: new Int32Array(65).fill(3), scoreFrom: 1 }])).rejects.toThrow(/65 tokens exceed the model's context of 64/);
    await expect(backend.scoreTokens([{ ids: Int32Array.of(725, 726), scoreFrom: 1 }])).rejects.toThrow(/token id 726 at position 1 is outside the vocabulary \[0, 726\)/);
    await expect(backend.scoreTokens([{ ids: Int32Array.of(725, 3), scoreFrom: 0 }])).rejects.toThrow(/scoreFrom 0 must be in \[1, 2\]/);
  });
});

describe('onnx backend, byte-level model', () => {
  it('scores UTF-8 bytes of a text within 1e-4 bits per byte of the reference forward pass', async () => {
    const bytes = lmFixture('alice-bytes', 400);
    const model = await createOnnxBackend({ model: bytes.onnx }, '/');
    try {
      expect(model.capabilities).toMatchObject({ bosTokenId: 256, vocabularySize: 257 });
      const text = 'Alice was beginning to get very tired of sitting by her sister on the bank.';
      const [tokens] = await model.tokenize([text]);
      expect(Buffer.from(Uint8Array.from(tokens!.ids)).toString('utf8')).toBe(text);
      const ids = Int32Array.of(256, ...tokens!.ids.subarray(0, 63));
      const [scored] = await model.scoreTokens([{ ids, scoreFrom: 1 }]);
      const expected = referenceBits(new ReferenceLlama(await GgufFile.read(bytes.gguf)), ids);
      scored!.logProbs.forEach((logProb, i) => expect(Math.abs(-logProb / Math.LN2 - expected[i]!)).toBeLessThan(1e-4));
    } finally {
      await model.close();
    }
  });
});

describe('onnx backend drives the range coder', () => {
  it('round-trips SK documents within ideal/8 × 1.001 + 64 bytes, and refuses another model file', async () => {
    const text = (await skValidationDocuments(12)).texts.join('');
    const coded = await compressText(text, backend);
    expect(coded.payloadBytes).toBeLessThanOrEqual((coded.idealBits / 8) * 1.001 + 64);
    expect(coded.idealBits).toBeGreaterThan(100);
    expect(await decompressText(coded.container, backend)).toBe(text);
    const other = await createOnnxBackend({ model: lmFixture('sk-200k', 159).onnx, vocabulary: skCorpusHeader }, '/');
    try {
      await expect(decompressText(coded.container, other, { label: 'sk.kolmo' })).rejects.toThrow(/sk\.kolmo: coded with the model file of SHA-256 0ed54555/);
    } finally {
      await other.close();
    }
  });

  it('round-trips the start of alice29.txt with the byte-level model', async () => {
    const text = readFileSync(new URL('../../../examples/corpora/alice29.txt', import.meta.url), 'utf8').slice(0, 1500);
    const model = await createOnnxBackend({ model: lmFixture('alice-bytes', 400).onnx }, '/');
    try {
      const coded = await compressText(text, model);
      expect(coded.payloadBytes).toBeLessThanOrEqual((coded.idealBits / 8) * 1.001 + 64);
      expect(await decompressText(coded.container, model)).toBe(text);
    } finally {
      await model.close();
    }
  });
});
