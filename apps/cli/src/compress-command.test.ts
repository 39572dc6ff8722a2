import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { filesUnder, kolmo, temporaryFolder } from './cli-harness.ts';

const alice = join(import.meta.dirname, '../../../examples/corpora/alice29.txt');

describe('kolmo compress / decompress', () => {
  it('round-trips a real text and reports bits per byte close to the ideal', async () => {
    const dir = temporaryFolder();
    const packed = join(dir, 'alice.kolmo');
    const compressed = await kolmo('compress', alice, '-o', packed, '-m', 'adaptive-bytes', '--json');
    expect(compressed.code).toBe(0);
    const summary = JSON.parse(compressed.stdout);
    expect(summary.outputBytes).toBe(readFileSync(packed).length);
    // range coding costs at most the ending byte plus the container's header and trailer over the ideal
    expect(summary.outputBytes).toBeLessThanOrEqual((summary.idealBitsPerByte * summary.inputBytes) / 8 + 200);
    const restored = join(dir, 'alice.txt');
    expect((await kolmo('decompress', packed, '-o', restored)).code).toBe(0);
    expect(readFileSync(restored).equals(readFileSync(alice))).toBe(true);
  });

  it('refuses corrupted, truncated and mismatched containers, leaving no output', async () => {
    const dir = temporaryFolder();
    const packed = join(dir, 'a.kolmo');
    await kolmo('compress', alice, '-o', packed, '-m', 'adaptive-bytes', '--json');
    const bytes = readFileSync(packed);
    const flipped = Buffer.from(bytes);
    flipped[bytes.length >> 1] ^= 0x10;
    writeFileSync(join(dir, 'flipped.kolmo'), flipped);
    writeFileSync(join(dir, 'short.kolmo'), bytes.subarray(0, bytes.length - 40));
    for (const name of ['flipped', 'short']) {
      const result = await kolmo('decompress', join(dir, `${name}.kolmo`), '-o', join(dir, `${name}.out`));
      expect(result.code).toBe(5);
      expect(result.stderr).toMatch(new RegExp(`kolmo: .*${name}\\.kolmo`));
    }
    const mismatch = await kolmo('decompress', packed, '-o', join(dir, 'm.out'), '-m', 'byte-cm');
    expect(mismatch.code).toBe(5);
    expect(mismatch.stderr).toContain('made with model "adaptive-bytes", not the expected "byte-cm"');
    expect(filesUnder(dir).sort()).toEqual(['a.kolmo', 'flipped.kolmo', 'short.kolmo']);
  });

  it('names a missing input file', async () => {
    const result = await kolmo('compress', '/nonexistent/file.txt', '-m', 'adaptive-bytes');
    expect(result.code).toBe(5);
    expect(result.stderr).toContain('cannot read /nonexistent/file.txt: ENOENT');
  });

  it('never overwrites without -f, never writes over its input, and refuses folders and pipes as input', async () => {
    const dir = temporaryFolder();
    const input = join(dir, 'a.txt');
    writeFileSync(input, 'some text to compress, some text to compress');
    expect((await kolmo('compress', input, '-m', 'adaptive-bytes', '--json')).code).toBe(0);
    const first = readFileSync(`${input}.kolmo`);
    const again = await kolmo('compress', input, '-m', 'adaptive-bytes', '--json');
    expect(again.code).toBe(6);
    expect(JSON.parse(again.stdout).error.message).toBe(`${input}.kolmo exists; use -f to overwrite it`); // --json: errors as JSON
    expect((await kolmo('compress', input, '-m', 'adaptive-bytes', '--json', '-f')).code).toBe(0);
    expect(readFileSync(`${input}.kolmo`).equals(first)).toBe(true);
    const self = await kolmo('compress', input, '-o', input, '-f');
    expect(self.code).toBe(2);
    expect(self.stderr).toContain('is the input itself');
    expect(readFileSync(input, 'utf8')).toBe('some text to compress, some text to compress');
    const decompressed = await kolmo('decompress', `${input}.kolmo`, '--json');
    expect(decompressed.code).toBe(6); // a.txt exists
    expect((await kolmo('decompress', `${input}.kolmo`, '-o', join(dir, 'b.txt'), '--json')).code).toBe(0);
    const folder = await kolmo('compress', dir);
    expect(folder.code).toBe(5);
    expect(folder.stderr).toContain('is a folder; give a file');
    const toFolder = await kolmo('compress', input, '-o', dir);
    expect(toFolder.code).toBe(6);
    expect(toFolder.stderr).toContain('is a folder; give a file name with -o');
  });

  it('-p must be a whole number: a usage error', async () => {
    const result = await kolmo('compress', 'whatever.txt', '-p', 'abc');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--precision expects a whole number, got "abc"');
  });
});
