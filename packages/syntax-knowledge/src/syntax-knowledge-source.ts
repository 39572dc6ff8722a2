import { KahanSum, KolmoError, type DocumentBatch, type Prior, type Rng } from '@kolmo/core';
import { attributeCatalog, maxTemplates, templateText, type AttributeName } from './biography/attribute-catalog.ts';
import { compileSentence, type CompiledSentence } from './biography/compiled-sentence.ts';
import { NamePool } from './biography/name-pool.ts';
import { wordList } from './biography/word-lists.ts';
import { InjectedElements, type InjectionGroup } from './knowledge/injected-elements.ts';
import type { KnowledgeDraws } from './knowledge/knowledge-draws.ts';
import { MarginalDraws } from './knowledge/marginal-draws.ts';
import { TrueMeasureDraws, type TrueMeasure } from './knowledge/true-measure-draws.ts';
import { AliasTable } from './sampling/alias-table.ts';
import { ensureInt32 } from './sampling/growable.ts';
import { DirichletTemplateSyntax } from './syntax/dirichlet-template-syntax.ts';
import type { TrueSyntax } from './syntax/syntax-model.ts';
import { splitWordTokens } from '@kolmo/core';

export type DocumentMode = 'single-attribute' | 'all-attributes';

/** The resolved settings of a syntax-knowledge source (the generator's config less the prior and batching). */
export interface SyntaxKnowledgeSettings {
  readonly documents: number;
  readonly mode: DocumentMode;
  readonly attributes: readonly AttributeName[];
  /** Fixed, known probabilities of each attribute in single-attribute mode (normalised); uniform if absent. */
  readonly attributeWeights?: readonly number[];
  readonly templates: number;
  readonly templatePrior: number;
  /** Value-list size per attribute (a prefix of the shipped list). */
  readonly valueCounts: Readonly<Record<AttributeName, number>>;
  readonly firstNames: number;
  readonly lastNames: number;
  readonly truncation: { readonly maxAtoms: number; readonly tolerance: number };
}

/** The random streams of a source, each named so one part's draws never shift another's. */
export interface SyntaxKnowledgeStreams {
  /** φ (template probabilities). */
  readonly syntax: Rng;
  /** The true measure's weights (head up front, tail sticks later). */
  readonly weights: Rng;
  /** Which element each document is about. */
  readonly draws: Rng;
  /** G0: names and attribute values of new elements. */
  readonly content: Rng;
  /** The attribute of a single-attribute document. */
  readonly attributes: Rng;
  /** The template of each sentence. */
  readonly templates: Rng;
}

/** Per-document ground truth columns (names as in core's DocumentBatch), plus `nameBits`/`revealedValues` without true weights. */
/**
 * What a batch carries of the source that drew it, beyond its columns (truth flows forward: no stage reads the
 * source's live state to score a batch, so scoring may lag generation by any number of batches — a phase switch
 * or an injection start in between changes nothing). `sentenceBits`: −log2 P(syntax of the sentence) by
 * attribute × templates + template, under the φ in force when the batch was drawn (shared, read-only). The
 * knowledge truth is in the columns: `frequency` (the weight the element was drawn with) and `knowledgeBits`.
 */
export interface SyntaxKnowledgeTruth {
  readonly sentenceBits: Float64Array;
}

/** A document batch of the syntax-knowledge source: columns plus the truth in force when it was drawn. */
export interface SyntaxKnowledgeBatch extends DocumentBatch {
  readonly truth: SyntaxKnowledgeTruth;
}

/** The truth a batch carries, if a syntax-knowledge source drew it (spreading a batch keeps it). */
export function truthOf(batch: DocumentBatch): SyntaxKnowledgeTruth | undefined {
  const truth = (batch as Partial<SyntaxKnowledgeBatch>).truth;
  return truth && truth.sentenceBits instanceof Float64Array ? truth : undefined;
}

export const groundTruthColumns = ['element', 'isNew', 'template', 'attribute', 'syntaxBits', 'knowledgeBits', 'frequency'] as const;

/**
 * The Syntax-Knowledge model of theory §2, biography instance: the true source (φ, G), the generator state,
 * and everything a predictor needs to code the same documents (reachable as `generator.source`).
 *
 * Oracle code length of a document, split exactly into two parts:
 * - syntax bits = Σ over its sentences of −log2 P(attribute) (single-attribute mode only: the attribute is a
 *   structural choice the template words reveal, drawn from fixed known probabilities) − log2 φ_a(template);
 * - knowledge bits = −log2 π_k, the true weight of its element under G (the oracle knows the atoms of G,
 *   names and values included, so the content costs nothing more). Priors without true weights are drawn
 *   from their marginal instead: then the knowledge bits are −log2 of the predictive probability, plus
 *   −log2 G0(name) for a new element, plus −log2 G0(value) for each attribute value shown for the first time.
 * Token-level (what the slot-word tokenizer attaches as trueBits): each sentence's syntax bits sit on its first
 * syntax token; the element's bits on the document's first name token; first-time value bits on the first
 * token of that value; every other token carries 0. The column values are the in-order sums of those tokens,
 * so per slot they match the tokens exactly.
 * Injected knowledge (theory §5 (b), `injectElements`): from a chosen document on, a document is with probability
 * f_g about one of K_g designated new individuals (uniformly), else drawn from G; the knowledge bits are then
 * −log2 of the mixture's weight, −log2(f_g/K_g) or −log2((1 − Σf) π_k), and so are `weight`, `frequency` and
 * `trueMeasure()`; an `injected` column marks the documents (group + 1, 0 for a draw from G).
 */
export class SyntaxKnowledgeSource {
  readonly settings: SyntaxKnowledgeSettings;
  readonly mode: DocumentMode;
  readonly attributeNames: readonly AttributeName[];
  readonly attributeCount: number;
  /** Active value lists, per attribute. */
  readonly values: readonly (readonly string[])[];
  readonly firstNames: readonly string[];
  readonly lastNames: readonly string[];
  /** F·L: the number of unique names G0 can give. */
  readonly nameCount: number;
  readonly prior: Prior;
  readonly syntaxModel: DirichletTemplateSyntax;
  readonly knowledge: KnowledgeDraws;
  /** P(attribute) of a single-attribute document (fixed and known; all ones in all-attributes mode). */
  readonly attributeProbabilities: Float64Array;

  private readonly streams: SyntaxKnowledgeStreams;
  private readonly templateCount: number;
  private readonly sentences: CompiledSentence[][][];
  /** −log2 P(sentence's syntax) by (attribute, template) under the φ in force; replaced, never mutated, when φ changes (batches keep the one they were drawn under). */
  private sentenceBits: Float64Array;
  private currentSyntax: TrueSyntax;
  private readonly valueTokenCounts: Int32Array[];
  private readonly attributeAlias: AliasTable | undefined;
  private readonly names: NamePool;
  private elementNames: string[] = [];
  private elementName = new Int32Array(16);
  private elementValues = new Int32Array(16);
  private elementAttributeCounts = new Int32Array(16);
  private elementFirstDocument = new Int32Array(16);
  private produced = 0;
  private limit: number;
  private injection: InjectedElements | undefined;
  private injectionRng: Rng | undefined;
  private injectionStart = Infinity;
  /**
   * Whether the latest batch came from the mixture: `weight` and `trueMeasure` then describe it. Predictors score
   * a batch right after it is generated, so the weights they read are those of the batch they score (as with
   * `replaceSyntax`).
   */
  private mixing = false;
  private injectedDocuments = 0;
  private readonly support: number;
  private readonly tally = {
    syntaxTokens: 0,
    nameTokens: 0,
    valueTokens: 0,
    syntaxBits: new KahanSum(),
    nameBits: new KahanSum(),
    valueBits: new KahanSum(),
  };

  /** Validates the settings against the prior, then draws φ and the head of G. Throws KolmoError('invalidSpec'). */
  constructor(settings: SyntaxKnowledgeSettings, prior: Prior, streams: SyntaxKnowledgeStreams) {
    validateSettings(settings);
    this.settings = settings;
    this.mode = settings.mode;
    this.attributeNames = [...settings.attributes];
    this.attributeCount = settings.attributes.length;
    this.values = settings.attributes.map((name) => attributeCatalog[name].values().slice(0, settings.valueCounts[name]));
    this.firstNames = wordList('first-names').slice(0, settings.firstNames);
    this.lastNames = wordList('last-names').slice(0, settings.lastNames);
    this.nameCount = this.firstNames.length * this.lastNames.length;
    this.names = new NamePool(this.nameCount);
    this.prior = prior;
    this.streams = streams;
    this.templateCount = settings.templates;

    const A = this.attributeCount;
    this.attributeProbabilities = new Float64Array(A).fill(1);
    if (this.mode === 'single-attribute') {
      const weights = settings.attributeWeights ?? new Array<number>(A).fill(1);
      const total = weights.reduce((s, w) => s + w, 0);
      weights.forEach((w, a) => (this.attributeProbabilities[a] = w / total));
      this.attributeAlias = settings.attributeWeights ? new AliasTable(weights) : undefined;
    }

    this.syntaxModel = new DirichletTemplateSyntax(A, settings.templates, settings.templatePrior);
    this.currentSyntax = this.syntaxModel.drawParameters(streams.syntax);
    this.sentences = settings.attributes.map((name) =>
      Array.from({ length: settings.templates }, (_, t) => {
        const text = templateText(name, t);
        return [compileSentence(text, false), compileSentence(text, true)];
      }),
    );
    this.sentenceBits = new Float64Array(A * settings.templates);
    this.computeSentenceBits();
    this.valueTokenCounts = this.values.map((list) => Int32Array.from(list, (value) => splitWordTokens(' ' + value).length));

    this.knowledge = prior.trueWeights
      ? new TrueMeasureDraws(prior, streams.weights, settings.truncation)
      : new MarginalDraws(prior);
    this.support = this.knowledge instanceof TrueMeasureDraws && this.knowledge.truncationMass === 0
      ? countPositive(this.knowledge.head)
      : Infinity;
    this.limit = 0;
    this.allowDocuments(settings.documents);
  }

  /**
   * Lets the source generate up to `total` documents in all (the corpus, then held-out documents from the same
   * φ and G). Refuses, before generating any, a total that could need more individuals than there are names.
   */
  allowDocuments(total: number): void {
    const possible = Math.min(total, this.support + (this.injection?.individuals ?? 0));
    if (possible > this.nameCount) {
      const { firstNames, lastNames } = this.settings;
      throw new KolmoError(
        'invalidSpec',
        `generator.documents: ${total} documents under ${this.prior.name} may need up to ${possible} individuals, ` +
          `but ${firstNames} first × ${lastNames} last names give only ${this.nameCount} unique names; ` +
          `use fewer documents, a prior with fewer elements, or more names (at most ${wordList('first-names').length} × ${wordList('last-names').length})`,
      );
    }
    this.limit = Math.max(this.limit, total);
  }

  /** The true φ (the drawn one, or the one `replaceSyntax` put in its place). */
  get syntax(): TrueSyntax {
    return this.currentSyntax;
  }

  /**
   * Fine-tuning (theory §5 (a), a new format): from the next document on, templates come from `syntax` (same
   * attributes and template count T; e.g. φ restricted to templates a first phase never used), and the oracle's
   * sentence bits follow it. Everything else — G, the documents so far, the random streams — stays.
   */
  replaceSyntax(syntax: TrueSyntax): void {
    this.currentSyntax = syntax;
    this.computeSentenceBits();
  }

  /**
   * Fine-tuning (theory §5 (b), new knowledge at a chosen frequency): from document `fromDocument` on (default:
   * the next), each document is with probability f_g about one of the K_g designated individuals of group g
   * (uniformly; each is created fresh from G0 when first drawn — a unique name and new values, never seen
   * before), otherwise drawn from G as before. The true source is then the mixture (see InjectedElements):
   * knowledge bits −log2(f_g/K_g) for a designated individual, −log2((1 − Σf) π_k) for a draw from G. The
   * choice uses `rng` alone, so G's own draws stay the same sequence. Batches never straddle the start;
   * `weight` and `trueMeasure` describe the mixture once a batch has been drawn from it.
   * Throws KolmoError('invalidSpec') (naming `path`) for rates summing above 1, a prior without true weights,
   * or more individuals than names. Once per source.
   */
  injectElements(groups: readonly InjectionGroup[], rng: Rng, options: { readonly fromDocument?: number; readonly path?: string } = {}): InjectedElements {
    const path = options.path ?? 'inject';
    if (this.injection) throw new KolmoError('invalidSpec', `${path}: elements are injected once per source`);
    if (!(this.knowledge instanceof TrueMeasureDraws)) {
      throw new KolmoError('invalidSpec', `${path}: injecting individuals at a chosen frequency needs a prior with true weights (the oracle codes with the mixture's weights); ${this.prior.name} has none`);
    }
    const start = options.fromDocument ?? this.produced;
    if (!(Number.isInteger(start) && start >= this.produced)) throw new KolmoError('invalidSpec', `${path}: cannot start injecting at document ${start}, ${this.produced} are already generated`);
    const injection = new InjectedElements(groups, path);
    this.injection = injection;
    try {
      this.allowDocuments(this.limit);
    } catch (error) {
      this.injection = undefined;
      throw error;
    }
    this.injectionRng = rng;
    this.injectionStart = start;
    return injection;
  }

  /** The injected individuals (undefined before `injectElements`). */
  get injected(): InjectedElements | undefined {
    return this.injection;
  }

  private computeSentenceBits(): void {
    const T = this.templateCount;
    this.sentenceBits = new Float64Array(this.attributeCount * T);
    for (let a = 0; a < this.attributeCount; a++) {
      const attributeBits = this.mode === 'single-attribute' ? -Math.log2(this.attributeProbabilities[a]) : 0;
      for (let t = 0; t < T; t++) this.sentenceBits[a * T + t] = attributeBits - this.currentSyntax.log2Probability(a, t);
    }
  }

  /** Documents generated so far. */
  get documents(): number {
    return this.produced;
  }

  /** Distinct elements (individuals) so far; ids are 0..elements−1 in order of first appearance. */
  get elements(): number {
    return this.knowledge.elements;
  }

  get templates(): number {
    return this.templateCount;
  }

  /** The compiled template t of attribute a, as the first sentence of a document or after a space. */
  sentence(attribute: number, template: number, continued = false): CompiledSentence {
    return this.sentences[attribute][template][continued ? 1 : 0];
  }

  /** Oracle syntax bits of one sentence: −log2 P(attribute) (single-attribute mode) − log2 φ_a(t). */
  sentenceSyntaxBits(attribute: number, template: number): number {
    return this.sentenceBits[attribute * this.templateCount + template];
  }

  /** The templates of an all-attributes document from its `template` column (mixed radix, attribute 0 lowest). */
  templateOf(code: number, attribute: number): number {
    return Math.floor(code / this.templateCount ** attribute) % this.templateCount;
  }

  /** log2 P(attribute) of a single-attribute document. */
  log2AttributeProbability(attribute: number): number {
    return Math.log2(this.attributeProbabilities[attribute]);
  }

  firstNameOf(element: number): number {
    return this.elementName[element] % this.firstNames.length;
  }

  lastNameOf(element: number): number {
    return Math.floor(this.elementName[element] / this.firstNames.length);
  }

  nameOf(element: number): string {
    return this.elementNames[element];
  }

  /** The index of the element's value in `values[attribute]`. */
  valueOf(element: number, attribute: number): number {
    return this.elementValues[element * this.attributeCount + attribute];
  }

  /** log2 G0(name) of element k, the k-th individual created: −log2(F·L − k) (names are drawn without replacement). */
  log2NameProbability(element: number): number {
    return -Math.log2(this.nameCount - element);
  }

  /** log2 G0(value) of an attribute: values are uniform over the attribute's list. */
  log2ValueProbability(attribute: number): number {
    return -Math.log2(this.values[attribute].length);
  }

  /** log2 G0(κ_k): the name and all A values (the element's full description is −this bits). */
  log2BaseMeasure(element: number): number {
    let bits = this.log2NameProbability(element);
    for (let a = 0; a < this.attributeCount; a++) bits += this.log2ValueProbability(a);
    return bits;
  }

  /** Documents about the element so far. */
  count(element: number): number {
    return this.knowledge.count(element);
  }

  /** Documents so far that showed the element's value of this attribute. */
  attributeCountOf(element: number, attribute: number): number {
    return this.elementAttributeCounts[element * this.attributeCount + attribute];
  }

  /** The run-wide index of the element's first document. */
  firstDocumentOf(element: number): number {
    return this.elementFirstDocument[element];
  }

  /**
   * The element's true weight π_k under G (NaN for a prior without true weights); while injecting, its weight
   * under the mixture now generating documents: f_g/K_g for a designated individual, (1 − Σf) π_k otherwise.
   */
  weight(element: number): number {
    const weight = this.knowledge.weight(element);
    return this.mixing ? this.injection!.weightOf(element, weight) : weight;
  }

  /**
   * The instantiated part of the true measure G (undefined for a prior without true weights); while injecting,
   * the mixture (G's atoms scaled by 1 − Σf, then every designated individual, drawn or not).
   */
  trueMeasure(): TrueMeasure | undefined {
    if (!(this.knowledge instanceof TrueMeasureDraws)) return undefined;
    const measure = this.knowledge.measure();
    return this.mixing ? this.injection!.mix(measure) : measure;
  }

  /** Tokens of a value as rendered (with its leading space or not). */
  valueTokens(attribute: number, value: number, spaced: boolean): string[] {
    return splitWordTokens((spaced ? ' ' : '') + this.values[attribute][value]);
  }

  /** Generates the next `count` documents (fewer at the end of the allowed documents) with their ground truth. */
  nextBatch(count: number): DocumentBatch {
    let size = Math.max(0, Math.min(count, this.limit - this.produced));
    if (this.produced < this.injectionStart) size = Math.min(size, this.injectionStart - this.produced);
    const first = this.produced;
    const A = this.attributeCount;
    const T = this.templateCount;
    const single = this.mode === 'single-attribute';
    const marginal = !this.knowledge.hasTrueWeights;
    const { draws, attributes, templates } = this.streams;
    const knowledge = this.knowledge;
    const syntax = this.syntax;
    const text = new Array<string>(size);
    const element = new Int32Array(size);
    const isNew = new Uint8Array(size);
    const template = new Int32Array(size);
    const attribute = new Int32Array(size);
    const syntaxBits = new Float64Array(size);
    const knowledgeBits = new Float64Array(size);
    const frequency = new Float64Array(size);
    const nameBitsColumn = marginal ? new Float64Array(size) : undefined;
    const revealedColumn = marginal ? new Int32Array(size) : undefined;
    const injection = this.injection && first >= this.injectionStart && size > 0 ? this.injection : undefined;
    if (injection) this.mixing = true;
    const injectedColumn = this.injection ? new Int32Array(size) : undefined;
    let syntaxTokens = 0;
    let valueTokens = 0;
    let batchNameBits = 0;
    let batchValueBits = 0;
    for (let i = 0; i < size; i++) {
      const e = injection ? this.drawMixed(injection) : knowledge.draw(draws);
      const fresh = knowledge.lastWasNew;
      if (fresh) this.createElement(e, first + i);
      element[i] = e;
      isNew[i] = fresh ? 1 : 0;
      // From the mixture: −log2 of the very weight `weight(e)` gives (so the oracle's bits match exactly).
      const mixtureWeight = injection ? injection.weightOf(e, knowledge.weight(e)) : NaN;
      let nameBits = injection ? -Math.log2(mixtureWeight) : -knowledge.lastLog2Probability;
      if (injectedColumn && injection) injectedColumn[i] = injection.groupOf(e) + 1;
      if (marginal && fresh) nameBits -= this.log2NameProbability(e);
      const valueBase = e * A;
      const name = this.elementNames[e];
      let document = '';
      let sBits = 0;
      let kBits = 0;
      let nameDone = false;
      let revealed = 0;
      let code = 0;
      const firstAttribute = single ? this.drawAttribute(attributes) : 0;
      const lastAttribute = single ? firstAttribute : A - 1;
      for (let a = firstAttribute; a <= lastAttribute; a++) {
        const t = syntax.sampleTemplate(a, templates);
        code += single ? t : t * T ** a;
        const sentence = this.sentences[a][t][a > firstAttribute ? 1 : 0];
        const v = this.elementValues[valueBase + a];
        const value = this.values[a][v];
        let valueBits = 0;
        if (this.elementAttributeCounts[valueBase + a]++ === 0 && marginal) {
          valueBits = -this.log2ValueProbability(a);
          revealed |= 1 << a;
        }
        sBits += this.sentenceBits[a * T + t];
        syntaxTokens += sentence.syntaxTokens;
        valueTokens += this.valueTokenCounts[a][v];
        const chunks = sentence.chunks;
        if (sentence.slots[0] === 'name') {
          document += chunks[0] + name + chunks[1] + value + chunks[2];
          if (!nameDone) kBits += nameBits;
          kBits += valueBits;
        } else {
          document += chunks[0] + value + chunks[1] + name + chunks[2];
          kBits += valueBits;
          if (!nameDone) kBits += nameBits;
        }
        nameDone = true;
        batchValueBits += valueBits;
      }
      text[i] = document;
      template[i] = code;
      attribute[i] = single ? firstAttribute : -1;
      syntaxBits[i] = sBits;
      knowledgeBits[i] = kBits;
      frequency[i] = marginal ? knowledge.count(e) : injection ? mixtureWeight : knowledge.weight(e);
      batchNameBits += nameBits;
      if (nameBitsColumn) nameBitsColumn[i] = nameBits;
      if (revealedColumn) revealedColumn[i] = revealed;
    }
    this.produced += size;
    const sentencesPerDocument = single ? 1 : A;
    let batchSyntaxBits = 0;
    for (let i = 0; i < size; i++) batchSyntaxBits += syntaxBits[i];
    this.tally.syntaxTokens += syntaxTokens;
    this.tally.nameTokens += 2 * sentencesPerDocument * size;
    this.tally.valueTokens += valueTokens;
    this.tally.syntaxBits.add(batchSyntaxBits);
    this.tally.nameBits.add(batchNameBits);
    this.tally.valueBits.add(batchValueBits);
    const columns: DocumentBatch['columns'] = { element, isNew, template, attribute, syntaxBits, knowledgeBits, frequency };
    if (nameBitsColumn && revealedColumn) {
      columns.nameBits = nameBitsColumn;
      columns.revealedValues = revealedColumn;
    }
    if (injectedColumn) {
      columns.injected = injectedColumn;
      for (let i = 0; i < size; i++) if (injectedColumn[i] > 0) this.injectedDocuments++;
    }
    const batch: SyntaxKnowledgeBatch = { first, text, columns, truth: { sentenceBits: this.sentenceBits } };
    return batch;
  }

  /** Corpus statistics so far: Heaps, singletons, and the true entropy per document and per token by slot. */
  statistics(): Record<string, number> {
    const documents = this.produced;
    const distinct = this.elements;
    let singletons = 0;
    for (let e = 0; e < distinct; e++) if (this.knowledge.count(e) === 1) singletons++;
    const { syntaxTokens, nameTokens, valueTokens } = this.tally;
    const syntaxBits = this.tally.syntaxBits.value;
    const nameBits = this.tally.nameBits.value;
    const valueBits = this.tally.valueBits.value;
    const tokens = syntaxTokens + nameTokens + valueTokens;
    const trueBits = syntaxBits + nameBits + valueBits;
    const perDocument = (x: number) => (documents > 0 ? x / documents : 0);
    const perToken = (x: number, n: number) => (n > 0 ? x / n : 0);
    const stats: Record<string, number> = {
      documents,
      tokens,
      syntaxTokens,
      nameTokens,
      valueTokens,
      distinctElements: distinct,
      heapsExponent: documents > 1 && distinct > 0 ? Math.log(distinct) / Math.log(documents) : 0,
      singletonFraction: distinct > 0 ? singletons / distinct : 0,
      trueBits,
      trueBitsPerDocument: perDocument(trueBits),
      syntaxBitsPerDocument: perDocument(syntaxBits),
      knowledgeBitsPerDocument: perDocument(nameBits + valueBits),
      trueBitsPerToken: perToken(trueBits, tokens),
      syntaxBitsPerSyntaxToken: perToken(syntaxBits, syntaxTokens),
      knowledgeBitsPerKnowledgeToken: perToken(nameBits + valueBits, nameTokens + valueTokens),
      nameBitsPerNameToken: perToken(nameBits, nameTokens),
      valueBitsPerValueToken: perToken(valueBits, valueTokens),
      syntaxFreeParameters: this.syntaxModel.freeParameters,
      uniqueNames: this.nameCount,
    };
    if (this.injection) {
      stats.injectedDocuments = this.injectedDocuments;
      stats.injectedIndividuals = this.injection.drawn;
    }
    if (this.knowledge instanceof TrueMeasureDraws) {
      stats.truncationAtoms = this.knowledge.head.length;
      stats.truncationMass = this.knowledge.truncationMass;
      stats.tailAtomsDiscovered = this.knowledge.measure().tail.length;
    }
    return stats;
  }

  /** One draw from the mixture: a designated individual (its id, opened on its first draw) or a draw from G. */
  private drawMixed(injection: InjectedElements): number {
    const rng = this.injectionRng!;
    const knowledge = this.knowledge as TrueMeasureDraws;
    const group = injection.chooseGroup(rng);
    if (group < 0) return knowledge.draw(this.streams.draws);
    const slot = injection.chooseSlot(group, rng);
    const known = injection.elementOf(group, slot);
    const element = knowledge.drawOutside(known, Math.log2(injection.weights[group]));
    if (known < 0) injection.assign(group, slot, element);
    return element;
  }

  private drawAttribute(rng: Rng): number {
    if (this.attributeCount === 1) return 0;
    return this.attributeAlias ? this.attributeAlias.sample(rng) : rng.nextInt(this.attributeCount);
  }

  /** G0: a unique name, then a value for every attribute, from the content stream. */
  private createElement(element: number, document: number): void {
    const rng = this.streams.content;
    const A = this.attributeCount;
    const nameIndex = this.names.draw(rng);
    this.elementName = ensureInt32(this.elementName, element + 1);
    this.elementFirstDocument = ensureInt32(this.elementFirstDocument, element + 1);
    this.elementValues = ensureInt32(this.elementValues, (element + 1) * A);
    this.elementAttributeCounts = ensureInt32(this.elementAttributeCounts, (element + 1) * A);
    this.elementName[element] = nameIndex;
    this.elementFirstDocument[element] = document;
    const F = this.firstNames.length;
    this.elementNames[element] = this.firstNames[nameIndex % F] + ' ' + this.lastNames[Math.floor(nameIndex / F)];
    for (let a = 0; a < A; a++) this.elementValues[element * A + a] = rng.nextInt(this.values[a].length);
  }
}

function countPositive(weights: Float64Array): number {
  let n = 0;
  for (let i = 0; i < weights.length; i++) if (weights[i] > 0) n++;
  return n;
}

/** Semantic checks a schema cannot express, with messages naming the field and what is allowed. */
export function validateSettings(settings: SyntaxKnowledgeSettings): void {
  const fail = (path: string, message: string) => {
    throw new KolmoError('invalidSpec', `generator.${path}: ${message}`);
  };
  if (!(Number.isInteger(settings.documents) && settings.documents >= 0)) fail('documents', `must be a non-negative integer, got ${settings.documents}`);
  const A = settings.attributes.length;
  if (A === 0) fail('attributes', 'needs at least one attribute');
  if (new Set(settings.attributes).size !== A) fail('attributes', `lists an attribute twice: ${settings.attributes.join(', ')}`);
  for (const name of settings.attributes) {
    if (!(name in attributeCatalog)) fail('attributes', `unknown attribute "${name}"; known: ${Object.keys(attributeCatalog).join(', ')}`);
  }
  if (!(Number.isInteger(settings.templates) && settings.templates >= 1)) fail('templates', `needs at least one template per attribute, got ${settings.templates}`);
  for (const name of settings.attributes) {
    const available = maxTemplates(name);
    if (settings.templates > available) fail('templates', `${settings.templates} templates asked for, but ${name} has ${available}`);
  }
  if (!(settings.templatePrior > 0)) fail('templatePrior', `the Dirichlet parameter a must be positive, got ${settings.templatePrior}`);
  if (settings.mode === 'all-attributes' && settings.templates ** A > 2 ** 31 - 1) {
    fail('templates', `all-attributes mode stores the templates of a document as one number, T^A = ${settings.templates}^${A} must stay below 2^31`);
  }
  if (settings.attributeWeights) {
    if (settings.mode !== 'single-attribute') fail('attributeWeights', 'only apply in single-attribute mode');
    if (settings.attributeWeights.length !== A) fail('attributeWeights', `needs one weight per attribute (${A}), got ${settings.attributeWeights.length}`);
    if (!settings.attributeWeights.every((w) => w > 0 && Number.isFinite(w))) fail('attributeWeights', 'every weight must be positive and finite');
  }
  for (const name of settings.attributes) {
    const size = settings.valueCounts[name];
    const available = attributeCatalog[name].values().length;
    if (!(Number.isInteger(size) && size >= 1)) fail(`values.${name}`, `the value list must not be empty (got ${size}); at most ${available}`);
    if (size > available) fail(`values.${name}`, `${size} values asked for, but the shipped list has ${available}`);
  }
  const firstAvailable = wordList('first-names').length;
  const lastAvailable = wordList('last-names').length;
  if (!(Number.isInteger(settings.firstNames) && settings.firstNames >= 1 && settings.firstNames <= firstAvailable)) {
    fail('firstNames', `must be between 1 and ${firstAvailable}, got ${settings.firstNames}`);
  }
  if (!(Number.isInteger(settings.lastNames) && settings.lastNames >= 1 && settings.lastNames <= lastAvailable)) {
    fail('lastNames', `must be between 1 and ${lastAvailable}, got ${settings.lastNames}`);
  }
  const { maxAtoms, tolerance } = settings.truncation;
  if (!(Number.isInteger(maxAtoms) && maxAtoms >= 1)) fail('truncation.maxAtoms', `must be a positive integer, got ${maxAtoms}`);
  if (!(tolerance >= 0 && tolerance < 1)) fail('truncation.tolerance', `must be in [0, 1), got ${tolerance}`);
}
