/**
 * The names G0 can still give (theory §2: names are drawn uniformly among the F·L not taken yet), numbered in
 * index order: a new element's name is coded as its rank among them, uniform over `available`, and decoded
 * back from the rank. Only the taken names are stored (sorted), so F·L ≈ 3.5·10⁷ costs nothing up front:
 * O(log K) to rank or unrank, O(K) (a memmove) to take a name.
 */
export class UnusedNames {
  /** F·L: every name index is in [0, size). */
  readonly size: number;
  private taken = new Int32Array(64);
  private count = 0;

  constructor(size: number) {
    if (!(Number.isInteger(size) && size >= 1 && size <= 2 ** 31)) throw new RangeError(`unused names: need 1 ≤ F·L ≤ 2^31, got ${size}`);
    this.size = size;
  }

  /** Names not taken yet. */
  get available(): number {
    return this.size - this.count;
  }

  /** The rank of an untaken name among the untaken ones: name − #(taken names below it). */
  rankOf(name: number): number {
    if (!(Number.isInteger(name) && name >= 0 && name < this.size)) throw new RangeError(`unused names: name ${name} is not in [0, ${this.size})`);
    const below = this.takenBelow(name);
    if (below < this.count && this.taken[below] === name) throw new RangeError(`unused names: name ${name} is already taken`);
    return name - below;
  }

  /**
   * The untaken name of a rank: rank + j, where j counts the taken names t_i (sorted) with t_i − i ≤ rank
   * (t_i − i is non-decreasing, so j is found by binary search).
   */
  nameAt(rank: number): number {
    if (!(Number.isInteger(rank) && rank >= 0 && rank < this.available)) throw new RangeError(`unused names: rank ${rank} is not in [0, ${this.available})`);
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.taken[mid] - mid <= rank) lo = mid + 1;
      else hi = mid;
    }
    return rank + lo;
  }

  take(name: number): void {
    const at = this.takenBelow(name);
    if (at < this.count && this.taken[at] === name) throw new RangeError(`unused names: name ${name} is already taken`);
    if (this.count === this.taken.length) {
      const grown = new Int32Array(2 * this.taken.length);
      grown.set(this.taken);
      this.taken = grown;
    }
    this.taken.copyWithin(at + 1, at, this.count);
    this.taken[at] = name;
    this.count++;
  }

  /** How many taken names are below `name` (the insertion point). */
  private takenBelow(name: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.taken[mid] < name) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
