import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessageHeader, MessageReader, tableFromIPC } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { scoredTokensLayout, scoredTokensToRecordBatches } from '../records/arrow-records.ts';
import type { SinkRecord } from '../contracts/sink.ts';
import { ArrowIpcFile } from './arrow-ipc-file.ts';

function record(first: number, length: number): SinkRecord {
  const ids = new Int32Array(length).map((_, i) => first * 100 + i);
  const doc = new Int32Array(length).fill(first);
  const documents = { first, text: ['x'], columns: {} };
  const tokens = { length, ids, doc, slot: new Uint8Array(length), start: ids, end: ids, offsetUnit: 'utf16' as const, documents };
  return { documents, tokens, scored: [{ predictor: 'p', tokens, bits: Float64Array.from(ids, (id) => id / 8) }] };
}

const folders: string[] = [];
afterAll(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));

function temporaryFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'kolmo-ipc-'));
  folders.push(folder);
  return folder;
}

const layout = scoredTokensLayout({ predictors: ['p'], trueBits: false, offsetUnit: 'utf16' });

describe('ArrowIpcFile', () => {
  for (const format of ['stream', 'file'] as const) {
    it(`writes batch by batch and reads back whole (${format})`, async () => {
      const dir = temporaryFolder();
      const file = await ArrowIpcFile.create(join(dir, 'sub', `t.${format}`), format);
      for (let k = 0; k < 3; k++) for (const batch of scoredTokensToRecordBatches(layout, record(k, 1000 + k))) await file.write(batch);
      expect(readdirSync(join(dir, 'sub'))).toEqual([`.t.${format}.partial-${process.pid}`]);
      const path = await file.commit();
      const bytes = readFileSync(path);
      if (format === 'file') {
        expect(bytes.subarray(0, 6).toString()).toBe('ARROW1');
        expect(bytes.subarray(bytes.length - 6).toString()).toBe('ARROW1');
      }
      const table = tableFromIPC(bytes);
      expect(table.numRows).toBe(3003);
      expect(table.batches).toHaveLength(3);
      const ids = table.getChild('token')!.toArray();
      expect(ids[1000]).toBe(100);
      expect(ids[3002]).toBe(200 + 1001);
      expect(table.getChild('predictor')!.get(3002)).toBe('p');
      expect(readdirSync(join(dir, 'sub'))).toEqual([`t.${format}`]);
    });
  }

  it('sends the predictor dictionary once in a stream', async () => {
    const dir = temporaryFolder();
    const file = await ArrowIpcFile.create(join(dir, 't.arrows'), 'stream');
    for (let k = 0; k < 3; k++) for (const batch of scoredTokensToRecordBatches(layout, record(k, 10))) await file.write(batch);
    const reader = new MessageReader(readFileSync(await file.commit()));
    const headers: MessageHeader[] = [];
    for (const message of reader) {
      headers.push(message.headerType);
      reader.readMessageBody(message.bodyLength);
    }
    const { Schema, DictionaryBatch, RecordBatch } = MessageHeader;
    expect(headers).toEqual([Schema, DictionaryBatch, RecordBatch, RecordBatch, RecordBatch]);
  });

  it('writes a valid empty file from a schema alone', async () => {
    const dir = temporaryFolder();
    const file = await ArrowIpcFile.create(join(dir, 'empty.arrow'), 'file');
    const table = tableFromIPC(readFileSync(await file.commit(layout.schema)));
    expect(table.numRows).toBe(0);
    expect(table.schema.fields.map((f) => f.name)).toContain('bits');
  });

  it('abort leaves nothing behind', async () => {
    const dir = temporaryFolder();
    const file = await ArrowIpcFile.create(join(dir, 't.arrow'), 'file');
    for (const batch of scoredTokensToRecordBatches(layout, record(0, 10))) await file.write(batch);
    await file.abort();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses a batch with another schema', async () => {
    const dir = temporaryFolder();
    const file = await ArrowIpcFile.create(join(dir, 't.arrow'), 'stream');
    for (const batch of scoredTokensToRecordBatches(layout, record(0, 10))) await file.write(batch);
    const other = scoredTokensLayout({ predictors: [], trueBits: false, offsetUnit: 'utf16' });
    await expect(file.write(scoredTokensToRecordBatches(other, { ...record(1, 10), scored: [] })[0])).rejects.toThrow(/schema/);
    await file.abort();
  });
});
