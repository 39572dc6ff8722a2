import { PairIndex } from './pair-index.ts';

/** What every n-gram model shares: the alphabet, how far back it looks, and what a document start means. */
export interface NgramShape {
  /** Token ids are in [0, vocabularySize). */
  readonly vocabularySize: number;
  /** Context length k: the model conditions on the previous k tokens (order 0 is an adaptive unigram). */
  readonly order: number;
  /**
   * true: every document starts from the begin context (k begin-of-document pseudo-tokens), so it is scored
   * independently of the previous document's last tokens (counts persist). false: the context runs on across
   * documents (only the first document starts from the begin context).
   */
  readonly resetAtDocument: boolean;
}

/**
 * A structure-blind, hierarchically smoothed order-k token model, online: `observe(w)` returns
 * q(w | context) and then learns w. The subclasses (Kneser–Ney, Pitman–Yor) differ only in their counts.
 *
 * Strings of tokens get dense ids through one hash index keyed by (id of the string without its last token,
 * last token), the empty string being id 0. The same id serves a string s both as a context (its customers)
 * and as an entry "context s[0..−1] followed by s[−1]" (its count). That is why no context lookup is needed:
 * the length-(j+1) context of the next position is the string "length-j context · w" just looked up at depth j,
 * so one token costs k + 1 hash lookups. Begin-of-document is the pseudo-token `vocabularySize`: it appears
 * only in contexts, is never predicted, and is never counted.
 */
export abstract class NgramModel {
  readonly vocabularySize: number;
  readonly order: number;
  readonly resetAtDocument: boolean;
  protected readonly strings: PairIndex;
  /** context[j]: id of the length-j context (x_{t−j} … x_{t−1}); context[0] is the empty string. */
  protected readonly context: Int32Array;
  /** entry[j]: id of context[j] · w for the token being learned. */
  protected readonly entry: Int32Array;
  /** q(w | context of length j − 1) for the token just predicted (parent[0] is the uniform base 1/V). */
  protected readonly parent: Float64Array;
  /**
   * Per-id records of `stride` 32-bit counters, interleaved so that one id's counters (as an entry and as a
   * context) share a cache line: the subclasses name the fields. Room for ids below `capacity`.
   */
  protected records: Int32Array;
  protected readonly stride: number;
  protected capacity: number;
  private readonly probe: Int32Array;
  private readonly weights: Float64Array;
  private readonly beginContext: Int32Array;
  /**
   * The frozen cursor (held-out evaluation): context ids like `context`, but moved by `advance`, which learns
   * nothing and inserts nothing, so a context string never seen in training has id −1 (no customers).
   */
  private readonly cursor: Int32Array;
  /** Child lists and last tokens, kept only by models that give full distributions (codecs). */
  private firstChild: Int32Array | undefined;
  private nextSibling: Int32Array | undefined;
  private lastToken: Int32Array | undefined;
  private tokensSeen = 0;

  protected constructor(shape: NgramShape, stride: number, options: { trackChildren?: boolean } = {}) {
    const { vocabularySize, order } = shape;
    if (!Number.isInteger(vocabularySize) || vocabularySize < 1 || vocabularySize >= 0x7fffffff)
      throw new RangeError(`vocabularySize must be an integer in [1, 2^31 − 1), got ${vocabularySize}`);
    if (!Number.isInteger(order) || order < 0) throw new RangeError(`order must be a non-negative integer, got ${order}`);
    this.vocabularySize = vocabularySize;
    this.order = order;
    this.resetAtDocument = shape.resetAtDocument;
    this.capacity = Math.max(1 << 12, 2 * (order + 2)); // room for the root and the begin contexts
    this.strings = new PairIndex(this.capacity);
    this.stride = stride;
    this.records = new Int32Array(this.capacity * stride);
    this.context = new Int32Array(order + 1);
    this.entry = new Int32Array(order + 1);
    this.probe = new Int32Array(order + 1);
    this.weights = new Float64Array(order + 1);
    this.parent = new Float64Array(order + 1);
    this.beginContext = new Int32Array(order + 1);
    this.cursor = new Int32Array(order + 1);
    if (options.trackChildren) {
      this.firstChild = new Int32Array(this.capacity).fill(-1);
      this.nextSibling = new Int32Array(this.capacity).fill(-1);
      this.lastToken = new Int32Array(this.capacity).fill(-1);
    }
    // The empty string (key (−1, −1), never a real pair) is id 0; then the begin contexts BOS^j.
    this.strings.findOrInsert(-1, -1);
    for (let j = 1; j <= order; j++) this.beginContext[j] = this.strings.findOrInsert(this.beginContext[j - 1], vocabularySize);
    this.context.set(this.beginContext);
    this.cursor.set(this.beginContext);
  }

  /** A document starts: back to the begin context when documents are scored independently. */
  beginDocument(): void {
    if (this.resetAtDocument) this.context.set(this.beginContext);
  }

  /** q(w | context), then learns w and moves the context on. */
  observe(w: number): number {
    const k = this.order;
    const context = this.context;
    const entry = this.entry;
    const strings = this.strings;
    for (let j = 0; j <= k; j++) {
      const before = strings.size;
      const id = strings.findOrInsert(context[j], w);
      if (strings.size !== before) this.added(id, context[j], w);
      entry[j] = id;
    }
    const probability = this.probabilityAlong(context, entry);
    this.learn();
    for (let j = k; j >= 1; j--) context[j] = entry[j - 1];
    this.tokensSeen++;
    return probability;
  }

  /** q(w | context) without learning anything (the same arithmetic as `observe`). */
  probabilityOf(w: number): number {
    this.findEntries(this.context, w);
    return this.probabilityAlong(this.context, this.probe);
  }

  /** The frozen cursor starts where training stands (the context the next learned token would see). */
  moveCursorToTraining(): void {
    this.cursor.set(this.context);
  }

  /** A held-out document starts at the cursor: back to the begin context when documents are scored independently. */
  beginCursorDocument(): void {
    if (this.resetAtDocument) this.cursor.set(this.beginContext);
  }

  /** q(w | cursor's context) under the model as trained so far (the same arithmetic as `observe`). */
  cursorProbabilityOf(w: number): number {
    this.findEntries(this.cursor, w);
    return this.probabilityAlong(this.cursor, this.probe);
  }

  /**
   * Held-out scoring: q(w | cursor's context), then the cursor moves along w, learning nothing (no count, table,
   * discount or string changes, no random draws). A context the training never saw has no entries and backs
   * off exactly as a context without customers does; the training context is untouched.
   */
  advance(w: number): number {
    const probability = this.cursorProbabilityOf(w);
    const cursor = this.cursor;
    const probe = this.probe;
    for (let j = this.order; j >= 1; j--) cursor[j] = probe[j - 1];
    return probability;
  }

  /**
   * The whole next-token distribution into `out` (length V), for codecs: O(V + entries of the contexts).
   * Needs a model built with `trackChildren`. It unrolls the recursion p_j = direct_j + γ_j p_{j−1}:
   * q(w) = Σ_j (Π_{i>j} γ_i) direct_j(w) + (Π_i γ_i) / V.
   */
  distribution(out: Float64Array): void {
    this.distributionIn(this.context, out);
  }

  /** The whole next-token distribution at the frozen cursor into `out` (length V); see `distribution`. */
  cursorDistribution(out: Float64Array): void {
    this.distributionIn(this.cursor, out);
  }

  /** Tokens learned so far. */
  get tokens(): number {
    return this.tokensSeen;
  }

  statistics(): Record<string, number> {
    return { tokens: this.tokensSeen, strings: this.strings.size - 1 - this.order, hashBytes: this.strings.bytes };
  }

  /**
   * q(w | u) at contexts[j] = id of u (−1: never seen, no customers) from the entries of w at each depth
   * (−1: never seen), filling `parent`.
   */
  protected abstract probabilityAlong(contexts: Int32Array, entries: Int32Array): number;
  /** Adds the token whose entries are in `entry` (its parent probabilities are in `parent`). */
  protected abstract learn(): void;
  /** Whether the context (an id, or −1 for one never seen) has customers. */
  protected abstract hasCustomers(context: number): boolean;
  /** The part of q(w | u) that does not back off, for the entry s = u · w at depth j. */
  protected abstract directMass(depth: number, context: number, s: number): number;
  /** γ_u: the weight of q(· | π(u)) in q(· | u); 1 for a context without customers (−1 included), which passes π(u) through. */
  protected abstract backoffWeight(depth: number, context: number): number;

  /** probe[j] = id of contexts[j] · w (−1: never seen, so also where the context itself was never seen). */
  private findEntries(contexts: Int32Array, w: number): void {
    const probe = this.probe;
    const strings = this.strings;
    for (let j = 0; j <= this.order; j++) {
      const u = contexts[j];
      probe[j] = u < 0 ? -1 : strings.find(u, w);
    }
  }

  private distributionIn(contexts: Int32Array, out: Float64Array): void {
    const firstChild = this.firstChild;
    const nextSibling = this.nextSibling!;
    const lastToken = this.lastToken!;
    if (!firstChild) throw new Error('distribution() needs a model built with trackChildren');
    // Weights first, so the dense part is one fill and the rest sparse adds.
    const weights = this.weights;
    let weight = 1;
    for (let j = this.order; j >= 0; j--) {
      const u = contexts[j];
      weights[j] = weight;
      if (this.hasCustomers(u)) weight *= this.backoffWeight(j, u);
    }
    out.fill(weight / this.vocabularySize);
    for (let j = this.order; j >= 0; j--) {
      const u = contexts[j];
      if (!this.hasCustomers(u)) continue;
      const w = weights[j];
      for (let s = firstChild[u]; s >= 0; s = nextSibling[s]) {
        const direct = this.directMass(j, u, s);
        if (direct > 0) out[lastToken[s]] += w * direct;
      }
    }
  }

  private added(id: number, prefix: number, w: number): void {
    if (id >= this.capacity) {
      const capacity = this.capacity * 2;
      this.records = grownTo(this.records, capacity * this.stride);
      if (this.firstChild) {
        this.firstChild = grownTo(this.firstChild, capacity, -1);
        this.nextSibling = grownTo(this.nextSibling!, capacity, -1);
        this.lastToken = grownTo(this.lastToken!, capacity, -1);
      }
      this.capacity = capacity;
    }
    if (this.firstChild) {
      this.nextSibling![id] = this.firstChild[prefix];
      this.firstChild[prefix] = id;
      this.lastToken![id] = w;
    }
  }
}

/** A copy of `array` with length `capacity`, new cells set to `fill`. */
export function grownTo<T extends Int32Array | Float64Array>(array: T, capacity: number, fill = 0): T {
  const grown = new (array.constructor as new (n: number) => T)(capacity);
  grown.set(array);
  if (fill !== 0) grown.fill(fill, array.length);
  return grown;
}
