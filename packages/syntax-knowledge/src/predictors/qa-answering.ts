import type { QaProbe } from '../qa-probes.ts';

export interface QaAnswerOptions {
  /** Say nothing (null) about an individual or attribute the model does not store, instead of guessing. */
  readonly abstain?: boolean;
}

/**
 * A predictor that answers QA probes (theory §5, hallucination) from what it stores: the remembered value of
 * attribute a of individual X if it stores it, otherwise G0's most likely value (a fluent guess, right with
 * probability max_v G0(v)) or null when abstaining. Answers are value indices into the attribute's list
 * (`QaProbeSet.candidates[attribute]`), comparable to `QaProbe.answerIndex`.
 */
export interface QaAnswering {
  answer(probe: Pick<QaProbe, 'element' | 'attribute'>, options?: QaAnswerOptions): number | null;
}

/**
 * G0's most likely value of an attribute. G0 is uniform over each value list, so every value ties; the first
 * one is taken (a fixed guess, independent of the individual, so it is right with probability exactly 1/|V_a|).
 */
export function baseMeasureGuess(_attribute: number): number {
  return 0;
}
