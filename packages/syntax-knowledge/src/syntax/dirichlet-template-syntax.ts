import type { Rng } from '@kolmo/core';
import { AliasTable } from '../sampling/alias-table.ts';
import { sampleStableDirichlet } from '../sampling/stable-gamma.ts';
import type { SyntaxModel, TrueSyntax } from './syntax-model.ts';

/**
 * The reference syntax model: per attribute, T templates, template ~ Categorical(φ_a), φ_a ~ Dirichlet(a, …, a)
 * (a = 1/2 is Jeffreys/KT). d = T − 1 per attribute. The Bayes-optimal predictive is (c_t + a)/(n + T a).
 */
export class DirichletTemplateSyntax implements SyntaxModel {
  readonly attributes: number;
  readonly templateCount: number;
  readonly prior: number;
  readonly freeParameters: number;
  readonly description: string;

  constructor(attributes: number, templates: number, prior: number) {
    if (!(Number.isInteger(attributes) && attributes >= 1)) throw new RangeError(`attributes must be a positive integer, got ${attributes}`);
    if (!(Number.isInteger(templates) && templates >= 1)) throw new RangeError(`templates must be a positive integer, got ${templates}`);
    if (!(prior > 0) || !Number.isFinite(prior)) throw new RangeError(`template prior a must be positive, got ${prior}`);
    this.attributes = attributes;
    this.templateCount = templates;
    this.prior = prior;
    this.freeParameters = attributes * (templates - 1);
    this.description = `templates: ${templates} per attribute, φ ~ Dirichlet(${prior}), d = ${this.freeParameters}`;
  }

  templates(): number {
    return this.templateCount;
  }

  drawParameters(rng: Rng): TrueSyntax {
    const probabilities: Float64Array[] = [];
    for (let a = 0; a < this.attributes; a++) probabilities.push(sampleStableDirichlet(rng, this.prior, this.templateCount));
    return new CategoricalTemplates(probabilities);
  }
}

/** Fixed template probabilities per attribute (the drawn φ), sampled by alias tables. */
export class CategoricalTemplates implements TrueSyntax {
  private readonly table: Float64Array[];
  private readonly log2Table: Float64Array[];
  private readonly aliases: AliasTable[];

  constructor(probabilities: Float64Array[]) {
    this.table = probabilities;
    this.log2Table = probabilities.map((p) => p.map((x) => Math.log2(x)));
    this.aliases = probabilities.map((p) => new AliasTable(p));
  }

  sampleTemplate(attribute: number, rng: Rng): number {
    return this.aliases[attribute].sample(rng);
  }

  log2Probability(attribute: number, template: number): number {
    return this.log2Table[attribute][template];
  }

  probabilities(attribute: number): Float64Array {
    return this.table[attribute];
  }
}
