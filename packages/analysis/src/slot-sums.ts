import { Slot, type TokenBatch } from '@kolmo/core';

/** Per-document sums of bits over the knowledge tokens (name + value slots), the syntax tokens, and the value tokens alone. */
export interface SlotSums {
  readonly knowledge: Float64Array;
  readonly syntax: Float64Array;
  /** The value slot's part of `knowledge`: what it costs to state the facts once the individual is named. */
  readonly value: Float64Array;
}

/**
 * Sums `bits` per document of the batch by slot class. Token `doc` ids are run-wide, so row = doc − first.
 * Writes into `out` (reused across batches, grown as needed) to avoid allocating per batch and predictor.
 */
export function sumBySlot(tokens: TokenBatch, bits: Float64Array, first: number, documents: number, out?: SlotSums): SlotSums {
  const sums = out && out.knowledge.length >= documents ? out : { knowledge: new Float64Array(documents), syntax: new Float64Array(documents), value: new Float64Array(documents) };
  sums.knowledge.fill(0, 0, documents);
  sums.syntax.fill(0, 0, documents);
  sums.value.fill(0, 0, documents);
  const { doc, slot, length } = tokens;
  for (let i = 0; i < length; i++) {
    const row = doc[i] - first;
    const s = slot[i];
    if (s === Slot.name) sums.knowledge[row] += bits[i];
    else if (s === Slot.value) {
      sums.knowledge[row] += bits[i];
      sums.value[row] += bits[i];
    } else if (s === Slot.syntax) sums.syntax[row] += bits[i];
  }
  return sums;
}
