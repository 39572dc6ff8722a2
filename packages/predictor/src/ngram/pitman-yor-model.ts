import type { Rng } from '@kolmo/core';
import { NgramModel, type NgramShape } from './ngram-model.ts';

/**
 * How customers are seated when the model learns a token.
 * `sampled`: the Chinese-restaurant seating of Teh (2006), one sequential sample, no resampling: the customer
 * for w in restaurant u opens a new table with probability (θ + d t_u) q(w|π(u)) / (c_uw − d t_uw + (θ + d t_u) q(w|π(u)))
 * (always when c_uw = 0), and a new table sends a customer to π(u). Since customers are never removed, which
 * existing table is joined never matters, so c_uw and t_uw are the whole state. Random draws come from the Rng.
 * `minimal`: one table per type, t_uw = min(1, c_uw) (Teh's approximation that turns the model into
 * interpolated Kneser–Ney when θ = 0); deterministic, no Rng.
 */
export type PitmanYorSeating = 'sampled' | 'minimal';

export interface PitmanYorOptions extends NgramShape {
  /** d_j for context length j = 0 … order, each in [0, 1). */
  readonly discounts: ArrayLike<number>;
  /** θ_j for context length j = 0 … order, each > −d_j. */
  readonly concentrations: ArrayLike<number>;
  readonly seating: PitmanYorSeating;
}

/**
 * The hierarchical Pitman–Yor language model (Teh 2006), online:
 *
 *   q(w | u) = (c_uw − d_j t_uw) / (θ_j + c_u) + (θ_j + d_j t_u) / (θ_j + c_u) · q(w | π(u)),   |u| = j,
 *
 * with c_u = Σ_w c_uw, t_u = Σ_w t_uw, an empty restaurant (c_u = 0) passing q(· | π(u)) through, and the uniform
 * distribution over the vocabulary below the empty context. Each token is a customer in its length-k context;
 * a new table there sends a customer to the next shorter context, and so on (see `PitmanYorSeating`).
 */
export class PitmanYorModel extends NgramModel {
  private readonly discount: Float64Array;
  private readonly concentration: Float64Array;
  private readonly rng: Rng | undefined;

  constructor(options: PitmanYorOptions, build: { trackChildren?: boolean; rng?: Rng } = {}) {
    super(options, STRIDE, build);
    const depths = this.order + 1;
    if (options.discounts.length !== depths || options.concentrations.length !== depths)
      throw new RangeError(`Pitman–Yor needs ${depths} discounts and concentrations (context lengths 0 … ${this.order})`);
    this.discount = Float64Array.from(options.discounts);
    this.concentration = Float64Array.from(options.concentrations);
    for (let j = 0; j < depths; j++) {
      const d = this.discount[j];
      const theta = this.concentration[j];
      if (!(d >= 0 && d < 1 && theta > -d))
        throw new RangeError(`Pitman–Yor at context length ${j} needs 0 ≤ d < 1 and θ > −d, got d = ${d}, θ = ${theta}`);
    }
    if (options.seating === 'sampled') {
      if (!build.rng) throw new RangeError('sampled seating needs an Rng');
      this.rng = build.rng;
    }
  }

  protected probabilityAlong(contexts: Int32Array, entries: Int32Array): number {
    const parent = this.parent;
    const records = this.records;
    let p = 1 / this.vocabularySize;
    for (let j = 0; j <= this.order; j++) {
      parent[j] = p;
      const id = contexts[j];
      // A context never seen (−1) is an empty restaurant, like a seen one with c_u = 0: q(· | π(u)) passes through.
      if (id < 0) continue;
      const u = id * STRIDE;
      const cu = records[u + CUSTOMERS];
      if (cu === 0) continue;
      const s = entries[j] * STRIDE;
      const d = this.discount[j];
      const theta = this.concentration[j];
      const direct = s < 0 ? 0 : records[s + COUNT] - d * records[s + TABLES];
      p = (direct + (theta + d * records[u + CONTEXT_TABLES]) * p) / (theta + cu);
    }
    return p;
  }

  protected learn(): void {
    const context = this.context;
    const entry = this.entry;
    const records = this.records;
    const rng = this.rng;
    for (let j = this.order; j >= 0; j--) {
      const s = entry[j] * STRIDE;
      const u = context[j] * STRIDE;
      const c = records[s + COUNT];
      records[s + COUNT] = c + 1;
      records[u + CUSTOMERS]++;
      if (c > 0) {
        if (!rng) break;
        const d = this.discount[j];
        const open = (this.concentration[j] + d * records[u + CONTEXT_TABLES]) * this.parent[j];
        const join = c - d * records[s + TABLES];
        if (rng.nextFloat() * (join + open) >= open) break;
      }
      records[s + TABLES]++;
      records[u + CONTEXT_TABLES]++;
    }
  }

  protected hasCustomers(context: number): boolean {
    return context >= 0 && this.records[context * STRIDE + CUSTOMERS] > 0;
  }

  protected directMass(depth: number, context: number, s: number): number {
    const r = this.records;
    return (r[s * STRIDE + COUNT] - this.discount[depth] * r[s * STRIDE + TABLES]) / (this.concentration[depth] + r[context * STRIDE + CUSTOMERS]);
  }

  protected backoffWeight(depth: number, context: number): number {
    if (!this.hasCustomers(context)) return 1;
    const theta = this.concentration[depth];
    const u = context * STRIDE;
    return (theta + this.discount[depth] * this.records[u + CONTEXT_TABLES]) / (theta + this.records[u + CUSTOMERS]);
  }

  override statistics(): Record<string, number> {
    return { ...super.statistics(), rootTables: this.records[CONTEXT_TABLES] };
  }
}

// Fields of a string's record: as an entry of its prefix (c_uw, t_uw), as a context (c_u, t_u).
const COUNT = 0;
const TABLES = 1;
const CUSTOMERS = 2;
const CONTEXT_TABLES = 3;
const STRIDE = 4;
