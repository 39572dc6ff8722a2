import type { Rng } from '@kolmo/core';

/**
 * Unique names for new individuals: name index i ∈ [0, F·L) is first name i mod F with last name ⌊i / F⌋,
 * drawn uniformly among the names not used yet (a lazy Fisher–Yates shuffle: O(1) per draw, memory O(drawn)).
 *
 * So G0 is exactly: the k-th individual created (k = 0, 1, …) gets each unused name with probability
 * 1/(F·L − k), and −log2 G0(name of element k) = log2(F·L − k). Uniqueness makes G0 effectively non-atomic:
 * two elements never share a name, and a name identifies its element.
 */
export class NamePool {
  readonly size: number;
  private readonly swapped = new Map<number, number>();
  private used = 0;

  constructor(size: number) {
    this.size = size;
  }

  get drawn(): number {
    return this.used;
  }

  draw(rng: Rng): number {
    if (this.used >= this.size) throw new RangeError(`all ${this.size} unique names are used`);
    const position = this.used;
    const pick = position + rng.nextInt(this.size - position);
    const chosen = this.swapped.get(pick) ?? pick;
    if (pick !== position) this.swapped.set(pick, this.swapped.get(position) ?? position);
    this.swapped.delete(position);
    this.used++;
    return chosen;
  }
}
