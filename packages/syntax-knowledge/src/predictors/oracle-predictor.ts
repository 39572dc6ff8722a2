import { defineStage, KolmoError, type Seating } from '@kolmo/core';
import type { QaProbe } from '../qa-probes.ts';
import { truthOf, type SyntaxKnowledgeSource } from '../syntax-knowledge-source.ts';
import { z } from 'zod';
import type { DocumentParts } from './document-layout.ts';
import { expectedSyntaxLoss, measureEntropy } from './expected-test-loss.ts';
import { BaseMeasureBits } from './base-measure-bits.ts';
import type { QaAnswering, QaAnswerOptions } from './qa-answering.ts';
import { StructuredPredictor, type CodingPhase } from './structured-predictor.ts';
import { requireSyntaxKnowledgeSource } from './syntax-knowledge-source-of.ts';

/**
 * The oracle (theory §3): codes with the true source (φ, G), so its code length is the entropy baseline H and
 * its bits equal the tokens' `trueBits` exactly. Syntax: −log2 P(attribute) − log2 φ_a(t) on each sentence's
 * first syntax token. Knowledge: −log2 π_k on the document's first name token (the oracle knows G's atoms,
 * names and values included). For a prior without true weights the true source is the prior's own sequential
 * Chinese restaurant, so the oracle follows it (its own seating of the same prior) and adds G0 for a new
 * element's name and for each value shown for the first time — exactly as the generator does; then it also
 * advances through held-out documents, since the truth of each document is conditional on all before it.
 */
export class OraclePredictor extends StructuredPredictor implements QaAnswering {
  private readonly g0: BaseMeasureBits;
  private readonly seating: Seating | undefined;
  private revealed = new Int32Array(1024);
  private readonly slotBits = { syntax: 0, name: 0, value: 0 };
  private documents = 0;

  constructor(source: SyntaxKnowledgeSource) {
    super(source, 'oracle');
    this.g0 = new BaseMeasureBits(source);
    this.seating = source.knowledge.hasTrueWeights ? undefined : source.prior.seating();
  }

  protected codeDocument(parts: DocumentParts, bits: Float64Array, _phase: CodingPhase): void {
    const source = this.source;
    const element = parts.element;
    // The truth the batch carries (the φ and the weights in force when it was drawn), never the source's live
    // state: scoring may lag generation (fine-tuning switches φ, injection changes the weights, in between).
    // Documents the source did not draw (tests, QA renderings) are coded under the source as it is now.
    const truth = this.batch && truthOf(this.batch);
    const frequency = this.batch?.columns.frequency as Float64Array | undefined;
    const T = source.templates;
    let syntaxBits = 0;
    for (let i = 0; i < parts.sentences; i++) {
      const b = truth ? truth.sentenceBits[parts.attribute[i] * T + parts.template[i]] : source.sentenceSyntaxBits(parts.attribute[i], parts.template[i]);
      bits[parts.syntaxToken[i]] = b;
      syntaxBits += b;
    }
    let nameBits: number;
    let valueBits = 0;
    const seating = this.seating;
    if (!seating) {
      nameBits = -Math.log2(truth && frequency ? frequency[this.row] : source.weight(element));
    } else {
      const fresh = element === seating.distinct;
      nameBits = -Math.log2(fresh ? seating.probabilityNew() : seating.probabilityExisting(element));
      if (fresh) nameBits -= source.log2NameProbability(element);
      seating.add(element);
      if (element >= this.revealed.length) {
        const grown = new Int32Array(Math.max(element + 1, 2 * this.revealed.length));
        grown.set(this.revealed);
        this.revealed = grown;
      }
      for (let i = 0; i < parts.sentences; i++) {
        const a = parts.attribute[i];
        if (!((this.revealed[element] >> a) & 1)) {
          this.revealed[element] |= 1 << a;
          bits[parts.valueToken[i]] = this.g0.value[a];
          valueBits += this.g0.value[a];
        }
      }
    }
    bits[parts.nameToken] = nameBits;
    this.slotBits.syntax += syntaxBits;
    this.slotBits.name += nameBits;
    this.slotBits.value += valueBits;
    this.documents++;
  }

  /**
   * The entropy per document split by slot: syntax (attribute choice and φ), name (−Σ π log2 π over G's drawn
   * atoms; `truncation_mass` is the mass of atoms not drawn yet, whose entropy is left out) and value (0: the
   * oracle knows the values). Without true weights there is no per-document entropy (the source is not i.i.d.);
   * then the mean bits per document by slot are reported instead. Both: the mean bits it coded so far.
   */
  statistics(): Record<string, number> {
    const per = (x: number) => (this.documents > 0 ? x / this.documents : 0);
    const statistics: Record<string, number> = {
      documents_coded: this.documents,
      mean_syntax_bits: per(this.slotBits.syntax),
      mean_name_bits: per(this.slotBits.name),
      mean_value_bits: per(this.slotBits.value),
    };
    const syntax = expectedSyntaxLoss(this.source, this.g0, (a, t) => -this.source.syntax.log2Probability(a, t));
    statistics.entropy_syntax_bits = syntax.entropy;
    const measure = this.source.trueMeasure();
    if (measure) {
      const knowledge = measureEntropy(measure);
      Object.assign(statistics, {
        entropy_name_bits: knowledge,
        entropy_value_bits: 0,
        entropy_knowledge_bits: knowledge,
        entropy_bits: syntax.entropy + knowledge,
        truncation_mass: measure.undiscoveredMass,
      });
    }
    return statistics;
  }

  /**
   * QA (theory §5): the oracle knows the true source, values included, so it answers every probe with the
   * element's true value of the attribute and never abstains (`abstain` changes nothing: it is never unsure).
   * The element must exist already (ids 0 … elements − 1: an individual the source has created).
   */
  answer(probe: Pick<QaProbe, 'element' | 'attribute'>, _options: QaAnswerOptions = {}): number {
    const { element, attribute } = probe;
    const { elements, attributeCount } = this.source;
    const created = Number.isInteger(element) && element >= 0 && element < elements;
    const described = Number.isInteger(attribute) && attribute >= 0 && attribute < attributeCount;
    if (!created || !described)
      throw new KolmoError(
        'input',
        `oracle: a probe asks about element ${element}, attribute ${attribute}; the source has elements 0 … ${elements - 1} and attributes 0 … ${attributeCount - 1}`,
      );
    return this.source.valueOf(element, attribute);
  }
}

export const oraclePredictor = defineStage({
  kind: 'predictor',
  type: 'oracle',
  description: 'the true syntax-knowledge source (φ, G): its code length is the entropy baseline H (theory §3)',
  config: z.object({}),
  create: (_config, context) => new OraclePredictor(requireSyntaxKnowledgeSource(context, 'oracle')),
});
