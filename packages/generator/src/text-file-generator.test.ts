import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KolmoError, type DocumentBatch, type StageContext } from '@kolmo/core';
import { describe, expect, it, onTestFinished } from 'vitest';
import { firstInvalidUtf8, textFileGenerator } from './text-file-generator.ts';

function folder(files: Record<string, string | Uint8Array>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kolmo-text-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

async function documents(config: Record<string, unknown>, specDir: string): Promise<DocumentBatch[]> {
  const generator = await textFileGenerator.create(textFileGenerator.config.parse(config), { specDir } as StageContext);
  return [...(generator.batches() as unknown as Iterable<DocumentBatch>)];
}

describe('text-file generator', () => {
  it('reads one document per file from a glob, in sorted order, numbering documents across batches', async () => {
    const dir = folder({ 'b.txt': 'second', 'a.txt': 'first', 'c.md': 'not matched', 'd.txt': 'third' });
    const batches = await documents({ path: '*.txt', batchDocuments: 2 }, dir);
    expect(batches.map((b) => [b.first, b.text])).toEqual([[0, ['first', 'second']], [2, ['third']]]);
  });

  it('splits into one document per non-empty line, for \\n and \\r\\n', async () => {
    const dir = folder({ 'lines.txt': 'one\r\ntwo\n\nthree\n' });
    const batches = await documents({ path: 'lines.txt', split: 'line' }, dir);
    expect(batches.flatMap((b) => b.text)).toEqual(['one', 'two', 'three']);
  });

  it('keeps UTF-8 text exactly, and names the file and offset of the first invalid byte', async () => {
    const dir = folder({ 'ok.txt': 'café – ünïcode ✓', 'bad.txt': Buffer.from([0x61, 0x62, 0xe2, 0x82, 0x41, 0x42]) });
    expect((await documents({ path: 'ok.txt' }, dir))[0].text).toEqual(['café – ünïcode ✓']);
    await expect(documents({ path: 'bad.txt' }, dir)).rejects.toThrow(/bad\.txt is not valid UTF-8 \(first bad byte at offset 2\)/);
    expect(firstInvalidUtf8(Buffer.from([0xc3, 0xa9, 0xff]))).toBe(2);
    expect(firstInvalidUtf8(Buffer.from('fine'))).toBe(-1);
  });

  it('refuses a missing file, a folder, and a glob that matches nothing, as input errors', async () => {
    const dir = folder({});
    for (const path of ['missing.txt', '.', '*.none']) {
      const error = await documents({ path }, dir).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(KolmoError);
      expect((error as KolmoError).kind).toBe('input');
    }
  });
});
