import { KahanSum } from '../math/special.ts';
import type { ScoredBatch } from '../records/scored-batch.ts';
import { isKnowledgeSlot, slotNames } from '../records/slot.ts';

/** Running totals of one predictor's code lengths: overall and per slot, summed without rounding drift. */
export class CodeLengthTally {
  tokens = 0;
  codedBytes: number | undefined;
  private readonly total = new KahanSum();
  private readonly slotBits = slotNames.map(() => new KahanSum());
  private readonly slotTokens = new Float64Array(slotNames.length);
  private readonly batchSums = new Float64Array(slotNames.length);

  add(batch: ScoredBatch): void {
    const { bits } = batch;
    const { slot } = batch.tokens;
    // Plain sums within a batch (thousands of terms), compensated sums across batches (up to 10^8 tokens).
    const sums = this.batchSums.fill(0);
    const counts = this.slotTokens;
    for (let i = 0; i < bits.length; i++) {
      const s = slot[i];
      sums[s] += bits[i];
      counts[s]++;
    }
    for (let s = 0; s < sums.length; s++) {
      if (sums[s] === 0) continue;
      this.slotBits[s].add(sums[s]);
      this.total.add(sums[s]);
    }
    this.tokens += bits.length;
  }

  get bits(): number {
    return this.total.value;
  }

  /** Bits and tokens per slot that occurred, plus `knowledge` = name + value. */
  slots(): Record<string, { tokens: number; bits: number }> {
    const out: Record<string, { tokens: number; bits: number }> = {};
    let knowledgeBits = 0;
    let knowledgeTokens = 0;
    slotNames.forEach((name, slot) => {
      if (this.slotTokens[slot] === 0) return;
      out[name] = { tokens: this.slotTokens[slot], bits: this.slotBits[slot].value };
      if (isKnowledgeSlot(slot)) {
        knowledgeBits += this.slotBits[slot].value;
        knowledgeTokens += this.slotTokens[slot];
      }
    });
    if (knowledgeTokens > 0) out.knowledge = { tokens: knowledgeTokens, bits: knowledgeBits };
    return out;
  }
}
