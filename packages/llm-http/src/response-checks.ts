import type { TokenizedText } from '@kolmo/core';
import { ResponseFault } from './llm-server-fault.ts';
import { offsetTable, type OffsetUnit } from './text-offsets.ts';

/**
 * Checks every response before a number leaves the backend: anything off is a `ResponseFault`, which the client
 * retries and, if it persists, reports with the server and the request. Never a wrong number.
 */

/** A natural-log probability: finite and ≤ 0 (ln q with q ≤ 1). */
export function checkLogProb(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value > 0) {
    throw new ResponseFault(`${where}: log-prob ${describeValue(value)} is not a finite number ≤ 0`);
  }
  return value;
}

export function checkTokenId(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 0x7fffffff) {
    throw new ResponseFault(`${where}: token id ${describeValue(value)} is not a non-negative integer`);
  }
  return value;
}

/** The server scored the tokens we sent, all of them and no others. */
export function checkSameIds(sent: Int32Array, got: ArrayLike<number>, where: string): void {
  if (got.length !== sent.length) {
    throw new ResponseFault(`${where}: ${got.length} tokens came back for ${sent.length} sent`);
  }
  for (let i = 0; i < sent.length; i++) {
    if (got[i] !== sent[i]) throw new ResponseFault(`${where}: token ${i} came back as id ${got[i]}, sent ${sent[i]}`);
  }
}

/** Top-k log-probs are sorted, most likely first. */
export function checkSortedDescending(logProbs: ArrayLike<number>, where: string): void {
  for (let i = 1; i < logProbs.length; i++) {
    if (logProbs[i] > logProbs[i - 1]) throw new ResponseFault(`${where}: top-k log-probs are not sorted (${logProbs[i - 1]} then ${logProbs[i]})`);
  }
}

export function expectArray(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) throw new ResponseFault(`${where}: expected a list, got ${describeValue(value)}`);
  return value;
}

export function expectObject(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ResponseFault(`${where}: expected an object, got ${describeValue(value)}`);
  }
  return value as Record<string, unknown>;
}

/**
 * Spans from the tokens' texts (SGLang's `input_token_logprobs`): they must concatenate to the text exactly,
 * else the server tokenized something else (a fault, not a guess).
 */
export function spansFromPieces(text: string, ids: readonly number[], pieces: readonly string[], where: string): TokenizedText {
  const start = new Int32Array(ids.length);
  const end = new Int32Array(ids.length);
  let at = 0;
  for (let i = 0; i < pieces.length; i++) {
    if (!text.startsWith(pieces[i], at)) {
      throw new ResponseFault(`${where}: token ${i} ${JSON.stringify(pieces[i])} does not continue the text at character ${at}`);
    }
    start[i] = at;
    at += pieces[i].length;
    end[i] = at;
  }
  if (at !== text.length) throw new ResponseFault(`${where}: the tokens cover ${at} of ${text.length} characters`);
  return { ids: Int32Array.from(ids), start, end, pieces: [...pieces] };
}

/**
 * Spans from each token's start offset in the server's unit (vLLM's `text_offset` in code points, TGI's byte
 * `start`): token i covers [offset_i, offset_{i+1}), the last one runs to the end. Offsets must start at 0 and
 * never decrease, so the spans tile the text. An offset inside a character (a byte-fallback token holding the
 * first bytes of a multi-byte character) rounds down to that character's start: the character belongs to the
 * token that completes it, and the tokens before it get empty spans.
 */
export function spansFromOffsets(
  text: string,
  ids: readonly number[],
  offsets: readonly number[],
  unit: OffsetUnit,
  where: string,
  pieces?: readonly string[],
): TokenizedText {
  if (offsets.length !== ids.length) throw new ResponseFault(`${where}: ${offsets.length} offsets for ${ids.length} tokens`);
  const table = offsetTable(text, unit);
  const start = new Int32Array(ids.length);
  const end = new Int32Array(ids.length);
  let previous = 0;
  for (let i = 0; i < offsets.length; i++) {
    const offset = offsets[i];
    if (!Number.isInteger(offset) || offset < 0 || offset >= table.length) {
      throw new ResponseFault(`${where}: token ${i} offset ${describeValue(offset)} is outside the text (${table.length - 1} ${unit})`);
    }
    if (i === 0 && offset !== 0) throw new ResponseFault(`${where}: the first token starts at ${offset}, not 0`);
    let k = offset;
    while (table[k] < 0) k--;
    const utf16 = table[k];
    if (utf16 < previous) throw new ResponseFault(`${where}: token ${i} offset ${offset} goes backwards`);
    start[i] = utf16;
    if (i > 0) end[i - 1] = utf16;
    previous = utf16;
  }
  if (ids.length > 0) end[ids.length - 1] = text.length;
  else if (text.length > 0) throw new ResponseFault(`${where}: no tokens for a text of ${text.length} characters`);
  return { ids: Int32Array.from(ids), start, end, pieces: pieces ? [...pieces] : undefined };
}

function describeValue(value: unknown): string {
  if (typeof value === 'number') return String(value);
  const json = JSON.stringify(value);
  return json === undefined ? String(value) : json.length > 60 ? `${json.slice(0, 60)}…` : json;
}
