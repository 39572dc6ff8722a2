/**
 * An indexed binary min-heap over slots, keyed by (strength, time): the weakest slot (smallest strength, and
 * among equals the one updated longest ago) is on top. Strengths live here (`strength[slot]`) so the owner
 * reads and scales them in place; a slot's key may change in either direction through `update`.
 */
export class WeakestFirstHeap {
  strength = new Float64Array(64);
  time = new Float64Array(64);
  private heap = new Int32Array(64);
  private position = new Int32Array(64).fill(-1);
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** The weakest slot (the heap must not be empty). */
  peek(): number {
    return this.heap[0];
  }

  push(slot: number, strength: number, time: number): void {
    this.ensure(slot + 1);
    this.strength[slot] = strength;
    this.time[slot] = time;
    const i = this.count++;
    this.heap[i] = slot;
    this.position[slot] = i;
    this.siftUp(i);
  }

  /** Sets a slot's key and restores the heap order. */
  update(slot: number, strength: number, time: number): void {
    this.strength[slot] = strength;
    this.time[slot] = time;
    const i = this.position[slot];
    this.siftUp(i);
    this.siftDown(this.position[slot]);
  }

  /** Removes and returns the weakest slot. */
  pop(): number {
    const top = this.heap[0];
    const last = this.heap[--this.count];
    this.position[top] = -1;
    if (this.count > 0) {
      this.heap[0] = last;
      this.position[last] = 0;
      this.siftDown(0);
    }
    return top;
  }

  /** Multiplies every strength by `factor` (> 0): the order is unchanged. */
  scale(factor: number): void {
    for (let i = 0; i < this.count; i++) this.strength[this.heap[i]] *= factor;
  }

  private weaker(x: number, y: number): boolean {
    const sx = this.strength[x];
    const sy = this.strength[y];
    return sx < sy || (sx === sy && this.time[x] < this.time[y]);
  }

  private siftUp(i: number): void {
    const { heap, position } = this;
    const slot = heap[i];
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.weaker(slot, heap[parent])) break;
      heap[i] = heap[parent];
      position[heap[i]] = i;
      i = parent;
    }
    heap[i] = slot;
    position[slot] = i;
  }

  private siftDown(i: number): void {
    const { heap, position } = this;
    const slot = heap[i];
    for (;;) {
      let child = 2 * i + 1;
      if (child >= this.count) break;
      if (child + 1 < this.count && this.weaker(heap[child + 1], heap[child])) child++;
      if (!this.weaker(heap[child], slot)) break;
      heap[i] = heap[child];
      position[heap[i]] = i;
      i = child;
    }
    heap[i] = slot;
    position[slot] = i;
  }

  private ensure(size: number): void {
    if (size <= this.heap.length) return;
    const capacity = Math.max(size, 2 * this.heap.length);
    const grow = <A extends Float64Array | Int32Array>(array: A, make: (n: number) => A, fill = 0): A => {
      const grown = make(capacity).fill(fill) as A;
      grown.set(array);
      return grown;
    };
    this.strength = grow(this.strength, (n) => new Float64Array(n));
    this.time = grow(this.time, (n) => new Float64Array(n));
    this.heap = grow(this.heap, (n) => new Int32Array(n));
    this.position = grow(this.position, (n) => new Int32Array(n), -1);
  }
}
