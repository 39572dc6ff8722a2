import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { AtomicFile } from './atomic-file.ts';

describe('AtomicFile', () => {
  it('shows nothing under the final name until commit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kolmo-atomic-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const file = await AtomicFile.create(join(dir, 'out.bin'));
    await file.write(new Uint8Array([1, 2, 3]));
    expect(readdirSync(dir)).toEqual([`.out.bin.partial-${process.pid}`]);
    await file.commit();
    expect(readdirSync(dir)).toEqual(['out.bin']);
    expect([...readFileSync(join(dir, 'out.bin'))]).toEqual([1, 2, 3]);
  });

  it('leaves nothing behind on abort', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kolmo-atomic-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const file = await AtomicFile.create(join(dir, 'out.bin'));
    await file.write(new Uint8Array(10));
    await file.abort();
    await file.abort();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('fails with an output error naming the path when the folder is missing', async () => {
    await expect(AtomicFile.create('/nonexistent-kolmo-dir/x.bin')).rejects.toThrow(/cannot write \/nonexistent-kolmo-dir\/x\.bin: its folder does not exist \(ENOENT\)/);
  });
});

describe('committed digests', () => {
  it('equal the SHA-256 of the file on disk', async () => {
    const { committedDigest } = await import('./atomic-file.ts');
    const { sha256File } = await import('./checksum.ts');
    const dir = mkdtempSync(join(tmpdir(), 'kolmo-atomic-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const file = await AtomicFile.create(join(dir, 'x.bin'));
    await file.write(new Uint8Array([1, 2, 3]));
    await file.write(new Uint8Array(100_000).fill(9));
    const path = await file.commit();
    expect(committedDigest(path)).toBe(await sha256File(path));
  });
});
