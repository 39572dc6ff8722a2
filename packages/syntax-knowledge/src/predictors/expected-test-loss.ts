import { KahanSum } from '@kolmo/core';
import type { SyntaxKnowledgeSource } from '../syntax-knowledge-source.ts';
import type { TrueMeasure } from '../knowledge/true-measure-draws.ts';
import type { BaseMeasureBits } from './base-measure-bits.ts';

/** Expected code length of the next document under the true source, with the true entropy and their gap. */
export interface ExpectedLoss {
  readonly bits: number;
  readonly entropy: number;
  readonly excess: number;
}

export interface ExpectedKnowledgeLoss extends ExpectedLoss {
  /**
   * Mass of G's atoms not drawn yet (beyond the head, undiscovered). The loss counts it exactly (those atoms
   * are unseen), but their entropy is unknown and left out, so `entropy` is short and `excess` over by at most
   * that mass times their (large) code length.
   */
  readonly truncationMass: number;
}

/** A predictor's knowledge as the expectation needs it: stored elements (source ids), Q_k, revealed values. */
export interface StoredKnowledge {
  readonly size: number;
  readonly elements: Int32Array;
  readonly probabilities: Float64Array;
  readonly revealed: Int32Array;
  /** Probability the predictor gives a new element (everything not stored). */
  readonly probabilityNew: number;
  /** −log2 G0(name) the predictor charges a new element. */
  readonly newNameBits: number;
}

/**
 * Expected knowledge bits of the next document under the true G (theory §4, "Measuring it well"), split from the
 * predictor's state:
 *   Σ_{stored k} π_k [−log2 Q_k + E_a(value bits of attributes not revealed)]
 *   + (1 − Σ_{stored} π_k) [−log2 P(new) + b_new],   b_new = name bits + E_a(value bits),
 * and the entropy Σ_k −π_k log2 π_k over G's drawn atoms (the oracle's loss), so that
 * excess = Σ_stored π_k log2(π_k/Q_k) + Σ_unstored π_k (log2 π_k − log2 P(new) + b_k) (+ unrevealed values).
 * Undefined for a source without true weights (a prior drawn through its marginal).
 */
export function expectedKnowledgeLoss(source: SyntaxKnowledgeSource, g0: BaseMeasureBits, stored: StoredKnowledge): ExpectedKnowledgeLoss | undefined {
  const measure = source.trueMeasure();
  if (!measure) return undefined;
  const loss = new KahanSum();
  const storedMass = new KahanSum();
  for (let i = 0; i < stored.size; i++) {
    const weight = source.weight(stored.elements[i]);
    storedMass.add(weight);
    if (weight > 0) loss.add(weight * (-Math.log2(stored.probabilities[i]) + g0.expectedValueBits(stored.revealed[i])));
  }
  const unstoredMass = Math.max(0, 1 - storedMass.value);
  if (unstoredMass > 0) loss.add(unstoredMass * (-Math.log2(stored.probabilityNew) + stored.newNameBits + g0.expectedNewValueBits));
  const entropy = measureEntropy(measure);
  return { bits: loss.value, entropy, excess: loss.value - entropy, truncationMass: measure.undiscoveredMass };
}

/**
 * Expected syntax bits of the next document under the true φ for a predictor whose template code lengths are
 * `bits(a, t)`: Σ_a w_a [−log2 P(a) + Σ_t φ_at bits(a, t)] with w_a = P(a) (single-attribute) or 1; the
 * entropy puts −log2 φ_at in place of bits(a, t) (the attribute choice is known to every predictor).
 */
export function expectedSyntaxLoss(source: SyntaxKnowledgeSource, g0: BaseMeasureBits, bits: (attribute: number, template: number) => number): ExpectedLoss {
  const loss = new KahanSum();
  const entropy = new KahanSum();
  for (let a = 0; a < source.attributeCount; a++) {
    const weight = g0.attributeWeight[a];
    const phi = source.syntax.probabilities(a);
    loss.add(weight * g0.attributeChoice[a]);
    entropy.add(weight * g0.attributeChoice[a]);
    for (let t = 0; t < phi.length; t++) {
      if (phi[t] === 0) continue;
      loss.add(weight * phi[t] * bits(a, t));
      entropy.add(-weight * phi[t] * Math.log2(phi[t]));
    }
  }
  return { bits: loss.value, entropy: entropy.value, excess: loss.value - entropy.value };
}

/** The statistics names of an expected loss pair, shared by the predictors. */
export function expectedLossStatistics(syntax: ExpectedLoss, knowledge: ExpectedKnowledgeLoss | undefined, probabilityNew: number): Record<string, number> {
  const statistics: Record<string, number> = {
    p_new: probabilityNew,
    expected_syntax_bits: syntax.bits,
    expected_excess_syntax_bits: syntax.excess,
    entropy_syntax_bits: syntax.entropy,
  };
  if (knowledge) {
    Object.assign(statistics, {
      expected_knowledge_bits: knowledge.bits,
      expected_excess_knowledge_bits: knowledge.excess,
      entropy_knowledge_bits: knowledge.entropy,
      expected_bits: syntax.bits + knowledge.bits,
      expected_excess_bits: syntax.excess + knowledge.excess,
      truncation_mass: knowledge.truncationMass,
    });
  }
  return statistics;
}

/** −Σ π log2 π over the drawn atoms of G (head and discovered tail); the head's part is computed once. */
export function measureEntropy(measure: TrueMeasure): number {
  return headEntropy(measure.head) + entropyOf(measure.tail);
}

const headEntropies = new WeakMap<Float64Array, number>();

/** Entropy of the head of G, computed once per source (it never changes). */
function headEntropy(head: Float64Array): number {
  let entropy = headEntropies.get(head);
  if (entropy === undefined) headEntropies.set(head, (entropy = entropyOf(head)));
  return entropy;
}

/** Σ −π log2 π over the given weights (zeros skipped). */
export function entropyOf(weights: Float64Array): number {
  const sum = new KahanSum();
  for (let i = 0; i < weights.length; i++) if (weights[i] > 0) sum.add(-weights[i] * Math.log2(weights[i]));
  return sum.value;
}
