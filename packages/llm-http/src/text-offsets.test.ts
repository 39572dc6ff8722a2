import { describe, expect, it } from 'vitest';
import { offsetTable, toUtf16 } from './text-offsets.ts';

describe('offsetTable', () => {
  // 'a' 1 byte / 1 unit, 'é' 2 bytes / 1 unit, '日' 3 bytes / 1 unit, '😀' 4 bytes / 2 units (one code point).
  const text = 'aé日😀b';

  it('maps code points to UTF-16 indices', () => {
    expect(Array.from(offsetTable(text, 'code-points'))).toEqual([0, 1, 2, 3, 5, 6]);
  });

  it('maps UTF-8 byte offsets, with -1 inside a character', () => {
    expect(Array.from(offsetTable(text, 'utf8-bytes'))).toEqual([0, 1, -1, 2, -1, -1, 3, -1, -1, -1, 5, 6]);
    const table = offsetTable(text, 'utf8-bytes');
    expect(toUtf16(table, 6)).toBe(3);
    expect(toUtf16(table, 7)).toBeUndefined();
    expect(toUtf16(table, 12)).toBeUndefined();
  });
});
