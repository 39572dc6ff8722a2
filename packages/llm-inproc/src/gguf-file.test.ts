import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GgufFile } from './gguf-file.ts';
import { lmFixture } from './testing/lm-fixtures.ts';

const fixture = lmFixture('sk-200k', 400);
const temp = mkdtempSync(join(tmpdir(), 'kolmo-gguf-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe('GgufFile', () => {
  it("reads a train-lm GGUF: the card's sizes in the metadata, tensors in torch's (out, in) shape", async () => {
    const card = JSON.parse(readFileSync(fixture.card, 'utf8'));
    const gguf = await GgufFile.read(fixture.gguf);
    expect(gguf.version).toBe(3);
    expect(gguf.metadata.get('general.architecture')).toBe('llama');
    expect(gguf.number('llama.embedding_length')).toBe(card.model.embedding);
    expect(gguf.number('llama.block_count')).toBe(card.model.layers);
    expect(gguf.strings('tokenizer.ggml.tokens')).toHaveLength(card.model.vocabulary_size);
    const ffn = gguf.tensor('blk.0.ffn_gate.weight');
    expect(ffn.shape).toEqual([card.model.feed_forward, card.model.embedding]);
    expect(ffn.values).toHaveLength(card.model.feed_forward * card.model.embedding);
    // Every parameter is in the file once (tied embeddings: no output.weight), and the count is the card's.
    const parameters = [...gguf.tensors.values()].reduce((sum, t) => sum + t.shape.reduce((a, b) => a * b, 1), 0);
    expect(parameters).toBe(card.parameters);
  });

  it('refuses a file that is not GGUF, and a truncated one, naming the file', async () => {
    const notGguf = join(temp, 'model.gguf');
    writeFileSync(notGguf, 'this is not a model, just some text that is long enough');
    await expect(GgufFile.read(notGguf)).rejects.toThrow(/model\.gguf: not a GGUF file/);
    const truncated = join(temp, 'truncated.gguf');
    writeFileSync(truncated, readFileSync(fixture.gguf).subarray(0, 2000));
    await expect(GgufFile.read(truncated)).rejects.toMatchObject({ kind: 'input', message: expect.stringMatching(/truncated\.gguf: GGUF header truncated/) });
    const shortData = join(temp, 'short-data.gguf');
    const bytes = readFileSync(fixture.gguf);
    writeFileSync(shortData, bytes.subarray(0, bytes.length - 100));
    const gguf = await GgufFile.read(shortData);
    expect(() => gguf.tensor('output_norm.weight')).toThrow(/runs past the end of the file/);
    await expect(GgufFile.read(join(temp, 'missing.gguf'))).rejects.toThrow(/missing\.gguf: cannot read the GGUF file/);
  });
});
