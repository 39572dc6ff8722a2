import { KolmoError } from '@kolmo/core';

/**
 * Converts UTF-16 offsets of `text` (JavaScript string indices, as backends report spans) into UTF-8 byte
 * offsets (as the byte tokenizer reports them): `bytes[i]` is the byte offset of UTF-16 index `i`, for
 * `i ∈ [0, text.length]`. A lone surrogate counts 3 bytes, as `Buffer.from(text)` writes it (U+FFFD).
 */
export function utf8Offsets(text: string): Int32Array {
  const bytes = new Int32Array(text.length + 1);
  let offset = 0;
  for (let i = 0; i < text.length; i++) {
    bytes[i] = offset;
    const unit = text.charCodeAt(i);
    if (unit < 0x80) offset += 1;
    else if (unit < 0x800) offset += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      // A surrogate pair is one code point of 4 bytes; its low half starts at the same byte, so no span splits it.
      bytes[++i] = offset;
      offset += 4;
    } else offset += 3;
  }
  bytes[text.length] = offset;
  return bytes;
}

/** Our tokens of one document: spans in the pipeline's offset unit, in order, not overlapping. */
export interface Spans {
  readonly start: ArrayLike<number>;
  readonly end: ArrayLike<number>;
}

/**
 * Moves a backend's per-token bits onto the pipeline's tokens of the same document, by character spans.
 *
 * The rule (deterministic, and conserving bits exactly up to rounding): every unit of the text (a UTF-16 code
 * unit, or a byte for the byte tokenizer) belongs to exactly one of our tokens — the token whose span holds it;
 * a unit between two tokens (a gap the tokenizer skipped) to the token after it; units after the last token to
 * the last token. A backend token's bits are spread evenly over its units, so our token gets
 * `bits × (units it owns of that backend token) / (units of the backend token)`. A backend token with an empty
 * span pays its bits to the owner of the unit at its start (the last token at the end of the text).
 *
 * `length` is the text's length in our unit. Throws when the text is not empty but we have no token to pay.
 */
export function alignBits(ours: Spans, count: number, length: number, theirs: Spans, theirBits: Float64Array, where: string): Float64Array {
  const bits = new Float64Array(count);
  if (theirBits.length === 0) return bits;
  if (count === 0) {
    throw new KolmoError('input', `${where}: the tokenizer gave no token for a text of ${length} units, so its ${theirBits.length} backend tokens' bits have nowhere to go`);
  }
  // owner[u]: our token that pays for unit u.
  const owner = new Int32Array(length);
  let unit = 0;
  for (let k = 0; k < count; k++) {
    const end = Math.min(Math.max(ours.end[k], unit), length);
    while (unit < end) owner[unit++] = k;
  }
  while (unit < length) owner[unit++] = count - 1;
  for (let j = 0; j < theirBits.length; j++) {
    const start = Math.min(theirs.start[j], length);
    const end = Math.min(theirs.end[j], length);
    const b = theirBits[j];
    if (end <= start) {
      bits[start < length ? owner[start] : count - 1] += b;
      continue;
    }
    // Runs of units with one owner take their share in one addition: fewer roundings than unit by unit.
    const perUnit = b / (end - start);
    let u = start;
    while (u < end) {
      const k = owner[u];
      let v = u + 1;
      while (v < end && owner[v] === k) v++;
      bits[k] += v - u === end - start ? b : perUnit * (v - u);
      u = v;
    }
  }
  return bits;
}
