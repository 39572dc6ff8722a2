import { defineStage, KahanSum } from '@kolmo/core';
import type { QaProbe } from '../qa-probes.ts';
import type { SyntaxKnowledgeSource } from '../syntax-knowledge-source.ts';
import { z } from 'zod';
import { BayesOptimalPredictor } from './bayes-optimal-predictor.ts';
import type { DocumentParts } from './document-layout.ts';
import { expectedKnowledgeLoss, expectedLossStatistics, expectedSyntaxLoss, type StoredKnowledge } from './expected-test-loss.ts';
import { baseMeasureGuess, type QaAnswerOptions } from './qa-answering.ts';
import type { CodingPhase } from './structured-predictor.ts';
import { requireSyntaxKnowledgeSource } from './syntax-knowledge-source-of.ts';

export interface CapacitySettings {
  /** The budget C in bits. */
  readonly capacityBits: number;
  /** Bits q per syntax parameter: storing syntax costs d·q. */
  readonly parameterBits: number;
}

/** The model a capacity-limited predictor keeps after training (a function of the training state). */
interface FrozenModel {
  readonly syntaxStored: boolean;
  /** stored[k] = 1 for the stored elements (local ids). */
  readonly stored: Uint8Array;
  readonly storedCount: number;
  readonly probabilityNew: number;
  readonly newNameBits: number;
  readonly modelBits: number;
  readonly dataBits: number;
}

/**
 * The capacity-limited predictor (theory §3, the model-scaling predictor), a two-part code with a budget of C bits.
 *
 * Training: it learns exactly like the Bayes-optimal predictor, and its `score` bits are that training pass.
 * At the end of training (lazily: at the first `evaluate`, `statistics` or `answer` after training) it freezes
 * the model it can afford, the optimal two-part code's greedy knapsack:
 * 1. syntax first, at d·q bits (d = A(T−1), q = `parameterBits`): the templates' predictive at the end of
 *    training, (c_t + a)/(n + T a); if syntax does not fit, nothing is stored (syntax is uniform, 1/T);
 * 2. then elements in decreasing training count (ties: first seen first) — the order of value π_k·b_k per cost
 *    b_k, with π_k estimated by the counts — until the next one does not fit. Element k costs its description
 *    b_k = −log2 G0 of what training revealed: its name, log2(F·L − k), plus log2 |V_a| per revealed value.
 * The frozen knowledge distribution is the prior's predictive restricted to the stored set S: a stored element
 * keeps Q_k (its training-count predictive, e.g. (m_k − α)/(n + β)); every unstored element's Q_k moves to the
 * new-element mass, P(new) = P_prior(new) + Σ_{k∉S} Q_k = 1 − Σ_{k∈S} Q_k, so it is a proper distribution.
 * An unstored element is then coded exactly as if never seen: P(new) × G0(name, uniform over the F·L − |S|
 * names not stored) × G0 of each value the document shows. Stored elements show their revealed values at 0 bits.
 *
 * statistics(): `stored_elements`, `model_bits` (C used), `data_bits` = L_C(X), the training set's code length
 * under the frozen model (closed form from the counts), `two_part_bits` = model_bits + data_bits (a point of
 * the structure function, theory §6), and the exact expected test loss of the frozen model (theory §4).
 */
export class CapacityLimitedPredictor extends BayesOptimalPredictor {
  readonly settings: CapacitySettings;
  private frozenModel: FrozenModel | undefined;

  constructor(source: SyntaxKnowledgeSource, settings: CapacitySettings) {
    super(source, 'capacity-limited');
    this.settings = settings;
  }

  protected override codeDocument(parts: DocumentParts, bits: Float64Array, phase: CodingPhase): void {
    if (phase === 'train') {
      this.frozenModel = undefined;
      super.codeDocument(parts, bits, phase);
      return;
    }
    const model = this.model();
    const { elements, g0 } = this;
    const local = elements.localOf(parts.element);
    let revealed = 0;
    if (local >= 0 && model.stored[local]) {
      bits[parts.nameToken] = -Math.log2(elements.seating.probabilityExisting(local));
      revealed = elements.revealed(local);
    } else {
      bits[parts.nameToken] = -Math.log2(model.probabilityNew) + model.newNameBits;
    }
    for (let i = 0; i < parts.sentences; i++) {
      const a = parts.attribute[i];
      bits[parts.syntaxToken[i]] = g0.attributeChoice[a] + this.templateBits(model, a, parts.template[i]);
      bits[parts.valueToken[i]] = (revealed >> a) & 1 ? 0 : g0.value[a];
    }
  }

  /** The frozen model's view for the expected loss: stored elements with Q_k, and P(new). */
  override storedKnowledge(): StoredKnowledge {
    const model = this.model();
    const { elements } = this;
    const size = model.storedCount;
    const stored = {
      size,
      elements: new Int32Array(size),
      probabilities: new Float64Array(size),
      revealed: new Int32Array(size),
      probabilityNew: model.probabilityNew,
      newNameBits: model.newNameBits,
    };
    let i = 0;
    for (let k = 0; k < elements.size; k++) {
      if (!model.stored[k]) continue;
      stored.elements[i] = elements.generatorOf(k);
      stored.probabilities[i] = elements.seating.probabilityExisting(k);
      stored.revealed[i++] = elements.revealed(k);
    }
    return stored;
  }

  override statistics(): Record<string, number> {
    const model = this.model();
    const stored = this.storedKnowledge();
    const syntax = expectedSyntaxLoss(this.source, this.g0, (a, t) => this.templateBits(model, a, t));
    return {
      capacity_bits: this.settings.capacityBits,
      elements_seen: this.elements.size,
      documents_seen: this.elements.seating.draws,
      stored_elements: model.storedCount,
      syntax_stored: model.syntaxStored ? 1 : 0,
      model_bits: model.modelBits,
      data_bits: model.dataBits,
      two_part_bits: model.modelBits + model.dataBits,
      ...expectedLossStatistics(syntax, expectedKnowledgeLoss(this.source, this.g0, stored), model.probabilityNew),
    };
  }

  override answer(probe: Pick<QaProbe, 'element' | 'attribute'>, options: QaAnswerOptions = {}): number | null {
    const model = this.model();
    const local = this.elements.localOf(probe.element);
    const value = local >= 0 && model.stored[local] ? this.elements.value(local, probe.attribute) : -1;
    if (value >= 0) return value;
    return options.abstain ? null : baseMeasureGuess(probe.attribute);
  }

  /** Whether element `element` (a source id) is in the frozen model. */
  stores(element: number): boolean {
    const local = this.elements.localOf(element);
    return local >= 0 && this.model().stored[local] === 1;
  }

  private templateBits(model: FrozenModel, attribute: number, template: number): number {
    return model.syntaxStored ? this.syntax.bits(attribute, template) : Math.log2(this.source.templates);
  }

  private model(): FrozenModel {
    return (this.frozenModel ??= this.freeze());
  }

  private freeze(): FrozenModel {
    const { elements, g0, syntax, source } = this;
    const { capacityBits, parameterBits } = this.settings;
    const seating = elements.seating;
    const K = elements.size;
    const A = source.attributeCount;
    const T = source.templates;
    const syntaxCost = source.syntaxModel.freeParameters * parameterBits;
    const syntaxStored = syntaxCost <= capacityBits;
    const stored = new Uint8Array(K);
    let storedCount = 0;
    let modelBits = 0;
    if (syntaxStored) {
      modelBits = syntaxCost;
      const order = Int32Array.from({ length: K }, (_, k) => k).sort((x, y) => elements.count(y) - elements.count(x) || x - y);
      for (const k of order) {
        let cost = g0.name(k);
        for (let a = 0; a < A; a++) if ((elements.revealed(k) >> a) & 1) cost += g0.value[a];
        if (modelBits + cost > capacityBits) break;
        modelBits += cost;
        stored[k] = 1;
        storedCount++;
      }
    }
    const newMass = new KahanSum();
    newMass.add(seating.probabilityNew());
    for (let k = 0; k < K; k++) if (!stored[k]) newMass.add(seating.probabilityExisting(k));
    const probabilityNew = storedCount === 0 ? 1 : newMass.value;
    const newNameBits = g0.name(storedCount);
    const model = { syntaxStored, stored, storedCount, probabilityNew, newNameBits, modelBits, dataBits: 0 };

    // L_C(X): the training documents coded by the frozen model, from the counts.
    const data = new KahanSum();
    for (let a = 0; a < A; a++) {
      data.add(syntax.totals[a] * g0.attributeChoice[a]);
      for (let t = 0; t < T; t++) {
        const c = syntax.counts[a * T + t];
        if (c > 0) data.add(c * this.templateBits(model, a, t));
      }
    }
    const newBits = -Math.log2(probabilityNew) + newNameBits;
    for (let k = 0; k < K; k++) {
      const m = elements.count(k);
      if (stored[k]) {
        data.add(-m * Math.log2(seating.probabilityExisting(k)));
      } else {
        data.add(m * newBits);
        for (let a = 0; a < A; a++) data.add(elements.shown(k, a) * g0.value[a]);
      }
    }
    return { ...model, dataBits: data.value };
  }
}

export const capacityLimitedPredictor = defineStage({
  kind: 'predictor',
  type: 'capacity-limited',
  description: 'syntax-knowledge predictor with a budget of C bits: learns like Bayes-optimal, then keeps syntax and the most frequent elements that fit (theory §3, §6)',
  config: z.object({
    capacityBits: z.number().min(0).describe('the budget C in bits: syntax costs d·q, element k its description −log2 G0 of what training revealed'),
    parameterBits: z.number().positive().default(16).describe('bits q per syntax parameter'),
  }),
  create: ({ capacityBits, parameterBits }, context) =>
    new CapacityLimitedPredictor(requireSyntaxKnowledgeSource(context, 'capacity-limited'), { capacityBits, parameterBits }),
});
