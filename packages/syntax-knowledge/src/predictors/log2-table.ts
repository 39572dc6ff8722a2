/**
 * log2(k + offset) for integers k ≥ 0, computed once and grown by doubling, so predictive probabilities of
 * the form (count + a)/(total + T a) cost two table reads instead of a Math.log2 per token. The values are
 * exactly Math.log2(k + offset), so table and direct computation agree bit for bit.
 */
export class Log2Table {
  readonly offset: number;
  private values: Float64Array;

  constructor(offset: number, capacity = 1024) {
    this.offset = offset;
    this.values = new Float64Array(0);
    this.grow(capacity);
  }

  at(k: number): number {
    return k < this.values.length ? this.values[k] : this.grow(k + 1)[k];
  }

  private grow(size: number): Float64Array {
    let capacity = Math.max(16, this.values.length);
    while (capacity < size) capacity *= 2;
    const values = new Float64Array(capacity);
    values.set(this.values);
    for (let k = this.values.length; k < capacity; k++) values[k] = Math.log2(k + this.offset);
    return (this.values = values);
  }
}
