import { defineStage, KolmoError, type Prior } from '@kolmo/core';
import type { QaProbe } from '../qa-probes.ts';
import type { SyntaxKnowledgeSource } from '../syntax-knowledge-source.ts';
import { z } from 'zod';
import { BaseMeasureBits } from './base-measure-bits.ts';
import type { DocumentParts } from './document-layout.ts';
import { expectedKnowledgeLoss, expectedLossStatistics, expectedSyntaxLoss, type StoredKnowledge } from './expected-test-loss.ts';
import { baseMeasureGuess, type QaAnswering, type QaAnswerOptions } from './qa-answering.ts';
import { StructuredPredictor, type CodingPhase } from './structured-predictor.ts';
import { requireSyntaxKnowledgeSource } from './syntax-knowledge-source-of.ts';
import { WeakestFirstHeap } from './weakest-first-heap.ts';

export interface MemorySettings {
  /** M: elements stored at most. */
  readonly memory: number;
  /** Forgetting rate: after each training document every count is multiplied by (1 − decay). */
  readonly decay: number;
  /** Pitman–Yor discount α and concentration β of the predictive rule. */
  readonly discount: number;
  readonly concentration: number;
}

// Renormalize the lazy decay scale before it underflows (and recompute the running sums exactly then).
const SMALLEST_SCALE = 1e-200;
const RESUM_EVERY = 1 << 16;

/**
 * The memory-bounded online learner (theory §3, the training-dynamics and fine-tuning predictor): a stand-in for
 * SGD's recency and forgetting. It keeps counts for at most M elements; after each training document every
 * count (elements and templates alike) is multiplied by (1 − decay), then the document's element gains 1.
 * When a new element arrives with memory full, the weakest stored element (smallest decayed count; the least
 * recently seen among equals) is evicted and forgotten entirely: its count and its values. An evicted element
 * is predicted as new again, through P(new) and G0.
 *
 * Its predictive is the Pitman–Yor rule on decayed counts w_k (raw counts m_k since the element was stored,
 * W = Σ w_k over the stored elements): Q_k = w_k (1 − α/m_k)/(W + β), P(new) = (β + α Σ_k w_k/m_k)/(W + β) —
 * each element's discount shrinks with its count, so the masses stay non-negative and sum to 1; with decay 0
 * and M ≥ all elements it is the Bayes-optimal predictive (m_k − α)/(n + β), (β + αK)/(n + β), bit for bit.
 * Templates: (s c_t + a)/(s n + T a) with the same decay. Decay is applied lazily through one scale factor.
 */
export class MemoryBoundedPredictor extends StructuredPredictor implements QaAnswering {
  readonly settings: MemorySettings;
  private readonly g0: BaseMeasureBits;
  private readonly heap = new WeakestFirstHeap();
  private slotOfElement = new Int32Array(1024).fill(-1);
  private slotElement = new Int32Array(64);
  private slotCount = new Float64Array(64);
  private slotRevealed = new Int32Array(64);
  private slotValues: Int32Array;
  private stored = 0;
  private evictions = 0;
  private documents = 0;
  /** Decay scale s: a stored strength u stands for the count s·u. */
  private scale = 1;
  /** Σ u over stored elements, and Σ u/m. */
  private strengthSum = 0;
  private discountedSum = 0;
  private readonly templateCounts: Float64Array;
  private readonly templateTotals: Float64Array;
  private readonly templatePriorTotal: number;

  constructor(source: SyntaxKnowledgeSource, settings: MemorySettings) {
    super(source, 'memory-bounded');
    this.settings = settings;
    this.g0 = new BaseMeasureBits(source);
    this.slotValues = new Int32Array(64 * source.attributeCount).fill(-1);
    this.templateCounts = new Float64Array(source.attributeCount * source.templates);
    this.templateTotals = new Float64Array(source.attributeCount);
    this.templatePriorTotal = source.templates * source.syntaxModel.prior;
  }

  protected codeDocument(parts: DocumentParts, bits: Float64Array, phase: CodingPhase): void {
    const { g0 } = this;
    const slot = this.slotOf(parts.element);
    let revealed = 0;
    if (slot >= 0) {
      bits[parts.nameToken] = -Math.log2(this.probabilityStored(slot));
      revealed = this.slotRevealed[slot];
    } else {
      bits[parts.nameToken] = -Math.log2(this.probabilityNew()) + g0.name(this.stored);
    }
    for (let i = 0; i < parts.sentences; i++) {
      const a = parts.attribute[i];
      bits[parts.syntaxToken[i]] = g0.attributeChoice[a] + this.templateBits(a, parts.template[i]);
      bits[parts.valueToken[i]] = (revealed >> a) & 1 ? 0 : g0.value[a];
    }
    if (phase === 'train') this.learn(parts, slot);
  }

  /** Q_k of a stored slot. */
  private probabilityStored(slot: number): number {
    const w = this.scale * this.heap.strength[slot];
    return (w - this.settings.discount * (w / this.slotCount[slot])) / (this.scale * this.strengthSum + this.settings.concentration);
  }

  probabilityNew(): number {
    if (this.stored === 0) return 1;
    const { discount, concentration } = this.settings;
    return (concentration + discount * (this.scale * this.discountedSum)) / (this.scale * this.strengthSum + concentration);
  }

  private templateBits(attribute: number, template: number): number {
    const s = this.scale;
    const a = this.source.syntaxModel.prior;
    return Math.log2(s * this.templateTotals[attribute] + this.templatePriorTotal) - Math.log2(s * this.templateCounts[attribute * this.source.templates + template] + a);
  }

  private learn(parts: DocumentParts, slot: number): void {
    const { decay, memory } = this.settings;
    const time = ++this.documents;
    if (decay > 0) {
      this.scale *= 1 - decay;
      if (this.scale < SMALLEST_SCALE) this.renormalize();
    }
    const increment = 1 / this.scale;
    const T = this.source.templates;
    for (let i = 0; i < parts.sentences; i++) {
      this.templateCounts[parts.attribute[i] * T + parts.template[i]] += increment;
      this.templateTotals[parts.attribute[i]] += increment;
    }
    if (slot >= 0) {
      const u = this.heap.strength[slot];
      const m = this.slotCount[slot];
      this.discountedSum += (u + increment) / (m + 1) - u / m;
      this.strengthSum += increment;
      this.slotCount[slot] = m + 1;
      this.heap.update(slot, u + increment, time);
      this.reveal(slot, parts);
    } else if (memory > 0) {
      let free: number;
      if (this.stored < memory) {
        free = this.stored++;
        this.ensureSlots(free + 1);
      } else {
        free = this.heap.pop();
        this.strengthSum -= this.heap.strength[free];
        this.discountedSum -= this.heap.strength[free] / this.slotCount[free];
        this.slotOfElement[this.slotElement[free]] = -1;
        this.slotRevealed[free] = 0;
        this.slotValues.fill(-1, free * this.source.attributeCount, (free + 1) * this.source.attributeCount);
        this.evictions++;
      }
      this.ensureElements(parts.element + 1);
      this.slotOfElement[parts.element] = free;
      this.slotElement[free] = parts.element;
      this.slotCount[free] = 1;
      this.heap.push(free, increment, time);
      this.strengthSum += increment;
      this.discountedSum += increment;
      this.reveal(free, parts);
    }
    if (decay > 0 && time % RESUM_EVERY === 0) this.resum();
  }

  private reveal(slot: number, parts: DocumentParts): void {
    const A = this.source.attributeCount;
    for (let i = 0; i < parts.sentences; i++) {
      const a = parts.attribute[i];
      if (!((this.slotRevealed[slot] >> a) & 1)) {
        this.slotRevealed[slot] |= 1 << a;
        this.slotValues[slot * A + a] = this.source.valueOf(parts.element, a);
      }
    }
  }

  private renormalize(): void {
    const s = this.scale;
    this.heap.scale(s);
    for (let i = 0; i < this.templateCounts.length; i++) this.templateCounts[i] *= s;
    for (let i = 0; i < this.templateTotals.length; i++) this.templateTotals[i] *= s;
    this.scale = 1;
    this.resum();
  }

  /** Recomputes Σ u and Σ u/m exactly (running sums drift by rounding under decay). */
  private resum(): void {
    let strength = 0;
    let discounted = 0;
    for (let slot = 0; slot < this.stored; slot++) {
      strength += this.heap.strength[slot];
      discounted += this.heap.strength[slot] / this.slotCount[slot];
    }
    this.strengthSum = strength;
    this.discountedSum = discounted;
  }

  private slotOf(element: number): number {
    return element < this.slotOfElement.length ? this.slotOfElement[element] : -1;
  }

  /** Whether the element (a source id) is in memory now. */
  stores(element: number): boolean {
    return this.slotOf(element) >= 0;
  }

  /** The element's decayed count, or 0 when it is not stored. */
  countOf(element: number): number {
    const slot = this.slotOf(element);
    return slot >= 0 ? this.scale * this.heap.strength[slot] : 0;
  }

  storedKnowledge(): StoredKnowledge {
    const size = this.stored;
    const stored = {
      size,
      elements: this.slotElement.slice(0, size),
      probabilities: new Float64Array(size),
      revealed: this.slotRevealed.slice(0, size),
      probabilityNew: this.probabilityNew(),
      newNameBits: this.g0.name(size),
    };
    for (let slot = 0; slot < size; slot++) stored.probabilities[slot] = this.probabilityStored(slot);
    return stored;
  }

  /** `stored_elements`, `evictions`, and the exact expected test loss of the current memory (theory §4). */
  statistics(): Record<string, number> {
    const stored = this.storedKnowledge();
    const syntax = expectedSyntaxLoss(this.source, this.g0, (a, t) => this.templateBits(a, t));
    return {
      memory_limit: this.settings.memory,
      decay_rate: this.settings.decay,
      documents_seen: this.documents,
      stored_elements: this.stored,
      evictions: this.evictions,
      ...expectedLossStatistics(syntax, expectedKnowledgeLoss(this.source, this.g0, stored), stored.probabilityNew),
    };
  }

  answer(probe: Pick<QaProbe, 'element' | 'attribute'>, options: QaAnswerOptions = {}): number | null {
    const slot = this.slotOf(probe.element);
    const value = slot >= 0 ? this.slotValues[slot * this.source.attributeCount + probe.attribute] : -1;
    if (value >= 0) return value;
    return options.abstain ? null : baseMeasureGuess(probe.attribute);
  }

  private ensureElements(size: number): void {
    if (size <= this.slotOfElement.length) return;
    const grown = new Int32Array(Math.max(size, 2 * this.slotOfElement.length)).fill(-1);
    grown.set(this.slotOfElement);
    this.slotOfElement = grown;
  }

  private ensureSlots(size: number): void {
    if (size <= this.slotElement.length) return;
    const capacity = Math.max(size, 2 * this.slotElement.length);
    const A = this.source.attributeCount;
    const element = new Int32Array(capacity);
    element.set(this.slotElement);
    this.slotElement = element;
    const count = new Float64Array(capacity);
    count.set(this.slotCount);
    this.slotCount = count;
    const revealed = new Int32Array(capacity);
    revealed.set(this.slotRevealed);
    this.slotRevealed = revealed;
    const values = new Int32Array(capacity * A).fill(-1);
    values.set(this.slotValues);
    this.slotValues = values;
  }
}

/** α and β for the predictive: the config's, else the prior's own (Pitman–Yor; Dirichlet process has α = 0). */
export function pitmanYorParametersOf(prior: Prior, overrides: { discount?: number; concentration?: number }): { discount: number; concentration: number } | undefined {
  // The prior's typed capability (Pitman–Yor, or the Dirichlet process as α = 0); overrides win.
  const discount = overrides.discount ?? prior.pitmanYor?.discount;
  const concentration = overrides.concentration ?? prior.pitmanYor?.concentration;
  return discount === undefined || concentration === undefined ? undefined : { discount, concentration };
}

export const memoryBoundedPredictor = defineStage({
  kind: 'predictor',
  type: 'memory-bounded',
  description: 'online syntax-knowledge learner keeping at most M elements with exponentially decayed counts, evicting the weakest (theory §3, §5)',
  config: z.object({
    memory: z.number().int().min(0).describe('M: elements stored at most (evicting the weakest when full)'),
    decay: z.number().min(0).lt(1).default(0).describe('forgetting rate: every count is multiplied by (1 − decay) after each training document'),
    discount: z.number().min(0).lt(1).optional().describe('Pitman–Yor discount α of the predictive (default: the generator prior\'s)'),
    concentration: z.number().optional().describe('Pitman–Yor concentration β of the predictive (default: the generator prior\'s)'),
  }),
  create: ({ memory, decay, discount, concentration }, context) => {
    const source = requireSyntaxKnowledgeSource(context, 'memory-bounded');
    const parameters = pitmanYorParametersOf(source.prior, { discount, concentration });
    if (!parameters) {
      throw new KolmoError(
        'invalidSpec',
        `predictor "memory-bounded": its predictive is the Pitman–Yor rule on decayed counts, and the prior ${source.prior.name} does not give α and β; set predictor.discount and predictor.concentration`,
      );
    }
    if (!(parameters.concentration > -parameters.discount)) {
      throw new KolmoError('invalidSpec', `predictor "memory-bounded": concentration β must be > −discount α (got α = ${parameters.discount}, β = ${parameters.concentration})`);
    }
    if (decay > 0 && parameters.concentration < 0) {
      throw new KolmoError('invalidSpec', `predictor "memory-bounded": decay > 0 needs concentration β ≥ 0 (decayed counts can fall below 1, and β + α Σ w/m must stay positive); got β = ${parameters.concentration}`);
    }
    return new MemoryBoundedPredictor(source, { memory, decay, ...parameters });
  },
});
