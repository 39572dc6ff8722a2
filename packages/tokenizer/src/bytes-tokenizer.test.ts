import { Slot } from '@kolmo/core';
import { describe, expect, it } from 'vitest';
import { BytesTokenizer } from './bytes-tokenizer.ts';

describe('bytes tokenizer', () => {
  it('emits the UTF-8 bytes of each document with byte offsets and run-wide document indices', () => {
    const tokenizer = new BytesTokenizer();
    const tokens = tokenizer.tokenize({ first: 5, text: ['aé', '', '✓b'], columns: {} });
    expect([...tokens.ids]).toEqual([0x61, 0xc3, 0xa9, 0xe2, 0x9c, 0x93, 0x62]);
    expect([...tokens.doc]).toEqual([5, 5, 5, 7, 7, 7, 7]);
    expect([...tokens.start]).toEqual([0, 1, 2, 0, 1, 2, 3]);
    expect([...tokens.end]).toEqual([1, 2, 3, 1, 2, 3, 4]);
    expect(tokens.offsetUnit).toBe('utf8');
    expect([...tokens.slot].every((s) => s === Slot.text)).toBe(true);
  });

  it('round-trips any text, including astral characters, across batches of growing size', () => {
    const tokenizer = new BytesTokenizer();
    for (const text of ['', 'plain', 'Ünïcödé 😀 text', 'x'.repeat(100_000) + '😀']) {
      const tokens = tokenizer.tokenize({ first: 0, text: [text], columns: {} });
      expect(tokens.length).toBe(Buffer.byteLength(text));
      expect(tokenizer.detokenize(tokens.ids)).toBe(text);
    }
  });
});
