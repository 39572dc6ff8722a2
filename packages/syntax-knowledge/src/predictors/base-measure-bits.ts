import type { SyntaxKnowledgeSource } from '../syntax-knowledge-source.ts';

/**
 * Code lengths every syntax-knowledge predictor knows from the model family (not from the true parameters):
 * G0's cost of a new element's name and of each attribute value, and the fixed, known attribute choice of a
 * single-attribute document.
 */
export class BaseMeasureBits {
  /** log2 |V_a|: a value never revealed costs this (G0 is uniform over each value list). */
  readonly value: Float64Array;
  /** −log2 P(a) of a single-attribute document's attribute (0 in all-attributes mode). */
  readonly attributeChoice: Float64Array;
  /** Expected sentences of attribute a per document: P(a) (single-attribute) or 1 (all-attributes). */
  readonly attributeWeight: Float64Array;
  /** F·L: unique names G0 draws from, without replacement. */
  readonly nameCount: number;
  /** Σ_a P(a)·log2|V_a|: expected value bits of a document about an element nothing is known of. */
  readonly expectedNewValueBits: number;

  constructor(source: SyntaxKnowledgeSource) {
    const A = source.attributeCount;
    const single = source.mode === 'single-attribute';
    this.value = Float64Array.from({ length: A }, (_, a) => -source.log2ValueProbability(a));
    this.attributeChoice = Float64Array.from({ length: A }, (_, a) => (single ? -source.log2AttributeProbability(a) : 0));
    this.attributeWeight = Float64Array.from({ length: A }, (_, a) => (single ? source.attributeProbabilities[a] : 1));
    this.nameCount = source.nameCount;
    let expected = 0;
    for (let a = 0; a < A; a++) expected += this.attributeWeight[a] * this.value[a];
    this.expectedNewValueBits = expected;
  }

  /**
   * −log2 G0(name) of a new individual when `known` names are already taken: uniform over the names left.
   * (The generator draws names without replacement, so the k-th individual's name costs log2(F·L − k).)
   */
  name(known: number): number {
    return Math.log2(this.nameCount - known);
  }

  /** Expected value bits of a document about an element whose values in `revealed` (bitmask) are known. */
  expectedValueBits(revealed: number): number {
    let bits = 0;
    for (let a = 0; a < this.value.length; a++) if (!((revealed >> a) & 1)) bits += this.attributeWeight[a] * this.value[a];
    return bits;
  }
}
