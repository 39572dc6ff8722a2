import { KahanSum, logGamma } from '@kolmo/core';
import { Log2Table } from './log2-table.ts';

/**
 * The Bayes-optimal syntax model of theory §3: per attribute a, template counts c_at with the Dirichlet(a)–
 * categorical predictive (c_t + a)/(n + T a) (KT for a = 1/2). Its sequential code length equals the
 * closed-form marginal −log2[Γ(Ta)/Γ(n+Ta) Π_t Γ(c_t+a)/Γ(a)] (`codeLength`), and its redundancy against any
 * fixed φ grows as (d/2) log2 n with d = A(T − 1).
 */
export class TemplateCounts {
  readonly attributes: number;
  readonly templates: number;
  readonly prior: number;
  readonly counts: Int32Array;
  readonly totals: Int32Array;
  private readonly countLogs: Log2Table;
  private readonly totalLogs: Log2Table;

  constructor(attributes: number, templates: number, prior: number) {
    this.attributes = attributes;
    this.templates = templates;
    this.prior = prior;
    this.counts = new Int32Array(attributes * templates);
    this.totals = new Int32Array(attributes);
    this.countLogs = new Log2Table(prior);
    this.totalLogs = new Log2Table(templates * prior);
  }

  /** −log2 of the predictive probability of template t for attribute a. */
  bits(attribute: number, template: number): number {
    return this.totalLogs.at(this.totals[attribute]) - this.countLogs.at(this.counts[attribute * this.templates + template]);
  }

  probability(attribute: number, template: number): number {
    return (this.counts[attribute * this.templates + template] + this.prior) / (this.totals[attribute] + this.templates * this.prior);
  }

  add(attribute: number, template: number): void {
    this.counts[attribute * this.templates + template]++;
    this.totals[attribute]++;
  }

  /** The closed-form Dirichlet–categorical code length of all counts so far, in bits. */
  codeLength(): number {
    return dirichletCategoricalCodeLength(this.counts, this.attributes, this.templates, this.prior);
  }
}

/** −log2 Π_a Γ(Ta)/Γ(n_a+Ta) Π_t Γ(c_at+a)/Γ(a) for counts laid out attribute-major (A × T). */
export function dirichletCategoricalCodeLength(counts: ArrayLike<number>, attributes: number, templates: number, prior: number): number {
  const nats = new KahanSum();
  const logGammaPrior = logGamma(prior);
  for (let a = 0; a < attributes; a++) {
    let n = 0;
    for (let t = 0; t < templates; t++) {
      const c = counts[a * templates + t];
      n += c;
      if (c > 0) nats.add(logGammaPrior - logGamma(c + prior));
    }
    nats.add(logGamma(n + templates * prior) - logGamma(templates * prior));
  }
  return nats.value / Math.LN2;
}
