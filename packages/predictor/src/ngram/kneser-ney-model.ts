import { estimateKneserNeyDiscounts } from './kneser-ney-discounts.ts';
import { NgramModel, type NgramShape } from './ngram-model.ts';

export interface KneserNeyOptions extends NgramShape {
  /** D_1, D_2, D_3+ for every order (0 < D_c ≤ c); with `estimateDiscounts`, the fallback of the estimate. */
  readonly discounts: readonly [number, number, number];
  /** Estimate each order's discounts from its count-of-counts so far (see `estimateKneserNeyDiscounts`). */
  readonly estimateDiscounts: boolean;
}

/**
 * Interpolated modified Kneser–Ney, online. Before each token t the model is exactly the batch interpolated
 * modified KN model (Chen & Goodman 1999) of the tokens x_<t with the same begin-of-document padding:
 *
 *   q(w | u) = max(c_uw − D_j(c_uw), 0) / c_u + γ_u q(w | π(u)),   γ_u = (D_j1 N_1(u•) + D_j2 N_2(u•) + D_j3 N_3+(u•)) / c_u,
 *
 * where at the top depth k c_uw is the raw count of u·w and at depth j < k it is the continuation count
 * N_1+(•u w) (distinct one-token extensions of u that were followed by w), c_u = Σ_w c_uw, N_c(u•) is the number
 * of w with c_uw = c (3+: at least 3), a context with c_u = 0 passes q(· | π(u)) through, and below depth 0 is
 * the uniform distribution over the vocabulary. Discounts are fixed, or re-estimated per depth after every token
 * from that depth's count-of-counts. This is the hierarchical Pitman–Yor model with θ = 0 and one table per
 * type (Teh 2006), which is how the counts are kept: a token increments its top-depth count and, whenever that
 * count was 0 (a new type), sends one count down to the next shorter context, and so on.
 */
export class KneserNeyModel extends NgramModel {
  /** n_1 … n_4 of depth j at [5j + 1 … 5j + 4]. */
  private readonly countOfCounts: Float64Array;
  /** D_1, D_2, D_3+ of depth j at [3j … 3j + 2]. */
  private readonly discounts: Float64Array;
  private readonly fallback: readonly [number, number, number];
  private readonly estimate: boolean;

  constructor(options: KneserNeyOptions, build: { trackChildren?: boolean } = {}) {
    super(options, STRIDE, build);
    const [d1, d2, d3] = options.discounts;
    if (!(d1 > 0 && d1 <= 1 && d2 > 0 && d2 <= 2 && d3 > 0 && d3 <= 3))
      throw new RangeError(`Kneser–Ney discounts need 0 < D1 ≤ 1, 0 < D2 ≤ 2, 0 < D3+ ≤ 3, got ${options.discounts.join(', ')}`);
    this.fallback = [d1, d2, d3];
    this.estimate = options.estimateDiscounts;
    this.countOfCounts = new Float64Array(5 * (this.order + 1));
    this.discounts = new Float64Array(3 * (this.order + 1));
    for (let j = 0; j <= this.order; j++) this.discounts.set(this.fallback, 3 * j);
  }

  /** The discounts in use at depth j now: [D_1, D_2, D_3+]. */
  discountsAt(depth: number): [number, number, number] {
    const d = this.discounts;
    return [d[3 * depth], d[3 * depth + 1], d[3 * depth + 2]];
  }

  protected probabilityAlong(contexts: Int32Array, entries: Int32Array): number {
    const parent = this.parent;
    const records = this.records;
    const discounts = this.discounts;
    let p = 1 / this.vocabularySize;
    for (let j = 0; j <= this.order; j++) {
      parent[j] = p;
      const id = contexts[j];
      // A context never seen (−1) has no customers, like a seen one with c_u = 0: q(· | π(u)) passes through.
      if (id < 0) continue;
      const u = id * STRIDE;
      const cu = records[u + CUSTOMERS];
      if (cu === 0) continue;
      const s = entries[j];
      const c = s < 0 ? 0 : records[s * STRIDE + COUNT];
      const d1 = discounts[3 * j];
      const d2 = discounts[3 * j + 1];
      const d3 = discounts[3 * j + 2];
      const gamma = d1 * records[u + TYPES1] + d2 * records[u + TYPES2] + d3 * records[u + TYPES3];
      const direct = c === 0 ? 0 : c - (c === 1 ? d1 : c === 2 ? d2 : d3);
      p = (direct + gamma * p) / cu;
    }
    return p;
  }

  protected learn(): void {
    const context = this.context;
    const entry = this.entry;
    const records = this.records;
    const countOfCounts = this.countOfCounts;
    for (let j = this.order; j >= 0; j--) {
      const s = entry[j] * STRIDE;
      const u = context[j] * STRIDE;
      const c = records[s + COUNT];
      records[s + COUNT] = c + 1;
      records[u + CUSTOMERS]++;
      // The entry moves from type class c to c + 1 (classes 1, 2, 3+) in its context.
      if (c === 0) records[u + TYPES1]++;
      else if (c === 1) {
        records[u + TYPES1]--;
        records[u + TYPES2]++;
      } else if (c === 2) {
        records[u + TYPES2]--;
        records[u + TYPES3]++;
      }
      if (this.estimate && c <= 4) {
        // c → c + 1 moves one entry between count-of-counts classes 1 … 4 of this depth.
        const at = 5 * j;
        if (c > 0) countOfCounts[at + c]--;
        if (c < 4) countOfCounts[at + c + 1]++;
        estimateKneserNeyDiscounts(
          countOfCounts[at + 1],
          countOfCounts[at + 2],
          countOfCounts[at + 3],
          countOfCounts[at + 4],
          this.fallback,
          this.discounts,
          3 * j,
        );
      }
      // An existing type: the shorter contexts' continuation counts do not change.
      if (c > 0) break;
    }
  }

  protected hasCustomers(context: number): boolean {
    return context >= 0 && this.records[context * STRIDE + CUSTOMERS] > 0;
  }

  protected directMass(depth: number, context: number, s: number): number {
    const c = this.records[s * STRIDE + COUNT];
    if (c === 0) return 0;
    const d = this.discounts[3 * depth + (c >= 3 ? 2 : c - 1)];
    return (c - d) / this.records[context * STRIDE + CUSTOMERS];
  }

  protected backoffWeight(depth: number, context: number): number {
    if (!this.hasCustomers(context)) return 1;
    const d = this.discounts;
    const at = 3 * depth;
    const u = context * STRIDE;
    const r = this.records;
    return (d[at] * r[u + TYPES1] + d[at + 1] * r[u + TYPES2] + d[at + 2] * r[u + TYPES3]) / r[u + CUSTOMERS];
  }

  override statistics(): Record<string, number> {
    const statistics = super.statistics();
    for (let j = 0; j <= this.order; j++) {
      const [d1, d2, d3] = this.discountsAt(j);
      statistics[`discount${j}_1`] = d1;
      statistics[`discount${j}_2`] = d2;
      statistics[`discount${j}_3`] = d3;
    }
    return statistics;
  }
}

// Fields of a string's record: as an entry of its prefix (COUNT = c_uw), as a context (c_u, N_1, N_2, N_3+).
const COUNT = 0;
const CUSTOMERS = 1;
const TYPES1 = 2;
const TYPES2 = 3;
const TYPES3 = 4;
const STRIDE = 5;
