import { Slot, type TokenBatch } from '@kolmo/core';

/** A token batch of `ids` with document indices `doc` (tests and benchmarks: no text behind the tokens). */
export function tokenBatchFrom(ids: ArrayLike<number>, doc: ArrayLike<number> = new Int32Array(ids.length)): TokenBatch {
  const length = ids.length;
  const start = new Int32Array(length);
  return {
    length,
    ids: Int32Array.from(ids),
    doc: Int32Array.from(doc),
    slot: new Uint8Array(length).fill(Slot.text),
    start,
    end: start,
    offsetUnit: 'utf16',
    documents: { first: 0, text: [], columns: {} },
  };
}
