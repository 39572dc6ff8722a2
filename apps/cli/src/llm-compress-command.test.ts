import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { filesUnder, kolmo, temporaryFolder } from './cli-harness.ts';

const root = join(import.meta.dirname, '../../..');
const byteModel = join(root, 'fixtures/lm/alice-bytes/step-000400/model.onnx');
const otherModel = join(root, 'fixtures/lm/sk-200k/step-000400/model.onnx');

describe('kolmo compress -m onnx / llama-cpp (a text coded with an in-process transformer)', () => {
  it('round-trips text through the range coder, records the model file, and refuses another one', async () => {
    const dir = temporaryFolder();
    try {
      const input = join(dir, 'alice.txt');
      writeFileSync(input, readFileSync(join(root, 'examples/corpora/alice29.txt')).subarray(0, 300));
      const packed = join(dir, 'alice.kolmo');
      const parameters = JSON.stringify({ model: byteModel });
      const compressed = await kolmo('compress', input, '-o', packed, '-m', 'onnx', '--plugin', '@kolmo/plugin-llm-onnx', '--parameters', parameters, '--json');
      expect(compressed.stderr).toBe('');
      expect(compressed.code).toBe(0);
      const summary = JSON.parse(compressed.stdout);
      expect(summary.model).toBe('onnx');
      expect(summary.idealBitsPerByte).toBeLessThan(4); // a trained byte model, far below 8 bits a byte
      const restored = join(dir, 'restored.txt');
      const decompressed = await kolmo('decompress', packed, '-o', restored, '--plugin', '@kolmo/plugin-llm-onnx');
      expect(decompressed.code).toBe(0);
      expect(readFileSync(restored).equals(readFileSync(input))).toBe(true);
      // The same container with another model file (the backend config given on the command line) is refused.
      const other = await kolmo('decompress', packed, '-o', join(dir, 'other.txt'), '--plugin', '@kolmo/plugin-llm-onnx', '--parameters', JSON.stringify({ model: otherModel, vocabulary: join(root, 'fixtures/lm/sk-corpus/meta.json') }));
      expect(other.code).toBe(5);
      expect(other.stderr).toMatch(/coded with the model file of SHA-256 [0-9a-f]{64} .*Decoding needs the very same model file/);
      expect(filesUnder(dir).sort()).toEqual(['alice.kolmo', 'alice.txt', 'restored.txt']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
