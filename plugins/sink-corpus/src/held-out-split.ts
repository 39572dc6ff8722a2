import { KolmoError, type Rng } from '@kolmo/core';

/** How held-out documents are chosen: by a seeded random draw, or by their index alone. */
export type HeldOutChoice = 'random' | 'index';

export interface HeldOutOptions {
  /** A fraction in [0, 1), or a whole number ≥ 1 of documents. */
  readonly heldOut: number;
  readonly choice: HeldOutChoice;
  readonly rng: Rng;
  /** The generator's document count, when it knows it (needed to draw an exact count at random). */
  readonly expectedDocuments?: number;
}

/**
 * Decides, document by document in run order, which ones go to the validation split. Streaming: no decision
 * waits for later documents. A fraction f: each document independently with probability f (random), or
 * document d exactly when ⌊(d+1)f⌋ > ⌊df⌋ (index: evenly spread, ⌊Nf⌋ of the first N). A count k: the first
 * k documents (index), or k of the expected N uniformly (random, selection sampling, Knuth's Algorithm S).
 */
export class HeldOutSplit {
  private readonly options: HeldOutOptions;
  private readonly count: number | undefined;
  private decided = 0;
  private selected = 0;

  constructor(options: HeldOutOptions) {
    const { heldOut, choice, expectedDocuments } = options;
    this.options = options;
    this.count = heldOut >= 1 ? heldOut : undefined;
    if (this.count !== undefined && choice === 'random') {
      if (expectedDocuments === undefined) {
        throw new KolmoError(
          'invalidSpec',
          `heldOut: drawing ${heldOut} documents at random needs a generator that knows its document count; use a fraction, or split: index (the first ${heldOut} documents)`,
        );
      }
      if (this.count > expectedDocuments) {
        throw new KolmoError('invalidSpec', `heldOut: ${heldOut} documents held out, but the generator emits only ${expectedDocuments}`);
      }
    }
  }

  /** Whether the next document (in run order) is held out. */
  next(): boolean {
    const d = this.decided++;
    const held = this.decide(d);
    if (held) this.selected++;
    return held;
  }

  private decide(d: number): boolean {
    const { heldOut, choice, rng, expectedDocuments } = this.options;
    if (heldOut === 0) return false;
    if (this.count === undefined) {
      return choice === 'random' ? rng.nextFloat() < heldOut : Math.floor((d + 1) * heldOut) > Math.floor(d * heldOut);
    }
    if (choice === 'index') return d < this.count;
    const remaining = expectedDocuments! - d;
    if (remaining <= 0 || this.selected >= this.count) return false;
    return rng.nextFloat() * remaining < this.count - this.selected;
  }
}
