/**
 * Servers count offsets in their own units: Python servers (vLLM's `text_offset`) in code points, Rust ones
 * (TGI's `/tokenize`) in UTF-8 bytes. The contract's spans are UTF-16 code units (JavaScript string indices).
 * These tables map an offset in a server's unit to the UTF-16 index of the same position.
 */
export type OffsetUnit = 'code-points' | 'utf8-bytes' | 'utf16';

/**
 * `table[k]` = UTF-16 index of the position at offset `k` in `unit`, for every offset that falls on a character
 * boundary; offsets inside a character (a byte in the middle of a UTF-8 sequence) map to -1.
 */
export function offsetTable(text: string, unit: OffsetUnit): Int32Array {
  if (unit === 'utf16') return Int32Array.from({ length: text.length + 1 }, (_, i) => i);
  const sizes: number[] = [];
  let utf16 = 0;
  const boundaries: number[] = [0];
  for (const char of text) {
    const cp = char.codePointAt(0)!;
    sizes.push(unit === 'code-points' ? 1 : cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4);
    utf16 += char.length;
    boundaries.push(utf16);
  }
  const total = sizes.reduce((a, b) => a + b, 0);
  const table = new Int32Array(total + 1).fill(-1);
  let offset = 0;
  table[0] = 0;
  for (let i = 0; i < sizes.length; i++) {
    offset += sizes[i];
    table[offset] = boundaries[i + 1];
  }
  return table;
}

/** Converts a server offset to a UTF-16 index, or undefined when it is out of range or inside a character. */
export function toUtf16(table: Int32Array, offset: number): number | undefined {
  if (!Number.isInteger(offset) || offset < 0 || offset >= table.length) return undefined;
  const index = table[offset];
  return index < 0 ? undefined : index;
}
