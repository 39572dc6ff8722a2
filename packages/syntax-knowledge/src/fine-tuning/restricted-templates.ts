import type { Rng } from '@kolmo/core';
import { AliasTable } from '../sampling/alias-table.ts';
import { type TrueSyntax } from '../syntax/syntax-model.ts';

/**
 * φ restricted to a range of templates [from, to) per attribute and renormalised: the syntax of one phase of a
 * two-phase corpus (theory §5 (a): a new format is templates the first phase never used). Templates outside
 * the range have probability 0 (log2 −∞) and are never drawn.
 */
export class RestrictedTemplates implements TrueSyntax {
  private readonly table: Float64Array[];
  private readonly log2Table: Float64Array[];
  private readonly aliases: AliasTable[];
  private readonly from: number;

  constructor(base: TrueSyntax, attributes: number, templates: number, from: number, to: number) {
    if (!(Number.isInteger(from) && Number.isInteger(to) && 0 <= from && from < to && to <= templates)) {
      throw new RangeError(`template range [${from}, ${to}) must be a non-empty part of [0, ${templates})`);
    }
    this.from = from;
    this.table = [];
    this.log2Table = [];
    this.aliases = [];
    for (let a = 0; a < attributes; a++) {
      const phi = base.probabilities(a);
      let mass = 0;
      for (let t = from; t < to; t++) mass += phi[t];
      if (!(mass > 0)) throw new RangeError(`attribute ${a}: φ gives templates [${from}, ${to}) no mass`);
      const restricted = new Float64Array(templates);
      for (let t = from; t < to; t++) restricted[t] = phi[t] / mass;
      this.table.push(restricted);
      this.log2Table.push(restricted.map((p) => Math.log2(p)));
      this.aliases.push(new AliasTable(restricted.subarray(from, to)));
    }
  }

  sampleTemplate(attribute: number, rng: Rng): number {
    return this.from + this.aliases[attribute].sample(rng);
  }

  log2Probability(attribute: number, template: number): number {
    return this.log2Table[attribute][template];
  }

  probabilities(attribute: number): Float64Array {
    return this.table[attribute];
  }
}
