import { defineStage } from '@kolmo/core';
import type { QaProbe } from '../qa-probes.ts';
import type { SyntaxKnowledgeSource } from '../syntax-knowledge-source.ts';
import { z } from 'zod';
import { BaseMeasureBits } from './base-measure-bits.ts';
import type { DocumentParts } from './document-layout.ts';
import { expectedKnowledgeLoss, expectedLossStatistics, expectedSyntaxLoss, type StoredKnowledge } from './expected-test-loss.ts';
import { LearnedElements } from './learned-elements.ts';
import { baseMeasureGuess, type QaAnswering, type QaAnswerOptions } from './qa-answering.ts';
import { SkDocumentCodec } from './sk-document-codec.ts';
import { StructuredPredictor, type CodingPhase } from './structured-predictor.ts';
import { requireSyntaxKnowledgeSource } from './syntax-knowledge-source-of.ts';
import { TemplateCounts } from './template-counts.ts';

/**
 * The Bayes-optimal predictor (theory §3): knows the model family, not the parameters.
 * - Syntax: per attribute the Dirichlet–categorical predictive (c_t + a)/(n + T a), a the generator's template
 *   prior (KT for 1/2); a single-attribute document's attribute by its fixed, known probabilities, as the oracle.
 * - Knowledge: the prior's posterior predictive (the generator's own Prior object, through `prior.seating()`):
 *   Q_k for an element seen before, P(new) for a new one, which then also pays G0 for its name (uniform over
 *   the names not taken by the elements seen) and for every value the document shows. A value of a known
 *   element that no document has revealed yet still costs −log2 G0(value); revealed values cost 0.
 * Bits sit where the oracle's do: syntax on each sentence's first syntax token, element (+ name) on the first
 * name token, value bits on the value's first token. So its sequential code length is the Bayes-mixture code:
 * the Dirichlet–categorical marginal plus the EPPF plus Σ −log2 G0 (tested to 1e-9).
 */
export class BayesOptimalPredictor extends StructuredPredictor implements QaAnswering {
  readonly elements: LearnedElements;
  readonly syntax: TemplateCounts;
  protected readonly g0: BaseMeasureBits;

  constructor(source: SyntaxKnowledgeSource, label = 'bayes-optimal') {
    super(source, label);
    this.g0 = new BaseMeasureBits(source);
    this.elements = new LearnedElements(source.prior, source);
    this.syntax = new TemplateCounts(source.attributeCount, source.templates, source.syntaxModel.prior);
  }

  protected codeDocument(parts: DocumentParts, bits: Float64Array, phase: CodingPhase): void {
    const { elements, syntax, g0 } = this;
    const seating = elements.seating;
    const local = elements.localOf(parts.element);
    let revealed = 0;
    if (local >= 0) {
      bits[parts.nameToken] = -Math.log2(seating.probabilityExisting(local));
      revealed = elements.revealed(local);
    } else {
      bits[parts.nameToken] = -Math.log2(seating.probabilityNew()) + g0.name(seating.distinct);
    }
    for (let i = 0; i < parts.sentences; i++) {
      const a = parts.attribute[i];
      bits[parts.syntaxToken[i]] = g0.attributeChoice[a] + syntax.bits(a, parts.template[i]);
      bits[parts.valueToken[i]] = (revealed >> a) & 1 ? 0 : g0.value[a];
    }
    if (phase === 'train') {
      elements.observe(parts);
      for (let i = 0; i < parts.sentences; i++) syntax.add(parts.attribute[i], parts.template[i]);
    }
  }

  /**
   * Real coding with this model from its initial state: a fresh SkDocumentCodec over the source's structure,
   * which codes documents decision by decision (its code length is `score`'s plus the theory §8 costs). Encoding
   * reads the elements' names and values from the source; decoding needs only the structure.
   */
  documentCodec(precision?: number): SkDocumentCodec {
    return new SkDocumentCodec(this.source, { content: this.source, precision });
  }

  /** Everything seen is stored: Q_k = the seating's predictive, P(new) its new-element probability. */
  storedKnowledge(): StoredKnowledge {
    const { elements } = this;
    const K = elements.size;
    const stored = {
      size: K,
      elements: new Int32Array(K),
      probabilities: new Float64Array(K),
      revealed: new Int32Array(K),
      probabilityNew: elements.seating.probabilityNew(),
      newNameBits: this.g0.name(K),
    };
    for (let k = 0; k < K; k++) {
      stored.elements[k] = elements.generatorOf(k);
      stored.probabilities[k] = elements.seating.probabilityExisting(k);
      stored.revealed[k] = elements.revealed(k);
    }
    return stored;
  }

  /**
   * The exact expected test loss per document under the true source given the state (theory §4), by part
   * (`expected_syntax_bits`, `expected_knowledge_bits`, their excess over the entropy, `p_new`, …), plus counts.
   */
  statistics(): Record<string, number> {
    const stored = this.storedKnowledge();
    const syntax = expectedSyntaxLoss(this.source, this.g0, (a, t) => this.syntax.bits(a, t));
    return {
      elements_seen: stored.size,
      documents_seen: this.elements.seating.draws,
      ...expectedLossStatistics(syntax, expectedKnowledgeLoss(this.source, this.g0, stored), stored.probabilityNew),
    };
  }

  answer(probe: Pick<QaProbe, 'element' | 'attribute'>, options: QaAnswerOptions = {}): number | null {
    const local = this.elements.localOf(probe.element);
    const value = local >= 0 ? this.elements.value(local, probe.attribute) : -1;
    if (value >= 0) return value;
    return options.abstain ? null : baseMeasureGuess(probe.attribute);
  }
}

export const bayesOptimalPredictor = defineStage({
  kind: 'predictor',
  type: 'bayes-optimal',
  description: 'Bayes-optimal syntax-knowledge predictor: Dirichlet–categorical templates, the prior\'s posterior predictive with G0 for new elements (theory §3)',
  config: z.object({}),
  create: (_config, context) => new BayesOptimalPredictor(requireSyntaxKnowledgeSource(context, 'bayes-optimal')),
});
