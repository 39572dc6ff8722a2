import { AdaptiveSymbolCodec, FrequencyTableCodec, RangeDecoder, RangeEncoder, defaultPrecision, maxTotalBits, quantizeFrequencies } from '@kolmo/entropy-coding';
import { KolmoError, type DocumentBatch, type EntropyDecoder, type EntropyEncoder } from '@kolmo/core';
import type { SyntaxKnowledgeSource } from '../syntax-knowledge-source.ts';
import { ElementChoiceCodec } from './element-choice-codec.ts';
import { decodeUniformInteger, encodeUniformInteger } from './uniform-integer-coding.ts';
import { UnusedNames } from './unused-names.ts';

/**
 * What coding and decoding need of a syntax-knowledge source: the model family and the rendering, all fixed by
 * the generator's settings (word and value lists, templates, attribute probabilities, T, a, the prior), never
 * the drawn parameters φ or G. A source made with the same settings and any seed serves.
 */
export type SkDocumentStructure = Pick<
  SyntaxKnowledgeSource,
  'mode' | 'attributeCount' | 'attributeProbabilities' | 'templates' | 'values' | 'firstNames' | 'lastNames' | 'nameCount' | 'prior' | 'sentence'
> & { readonly syntaxModel: Pick<SyntaxKnowledgeSource['syntaxModel'], 'prior'> };

/** What only the encoder reads: the content of the elements its documents are about (the source that made them). */
export type SkElementContent = Pick<SyntaxKnowledgeSource, 'firstNameOf' | 'lastNameOf' | 'valueOf'>;

/**
 * Real coding of syntax-knowledge documents with the Bayes-optimal model (theory §3), decision by decision, so the
 * code length is the Bayes-mixture code length plus the quantization and range-coder costs of theory §8:
 *
 * 1. single-attribute mode: the attribute, from its fixed known probabilities (quantized once to 2^P);
 * 2. the element: known element k or a new one, from the prior's seating (ElementChoiceCodec);
 * 3. a new element's name: its rank among the names not yet taken, uniform over F·L − K (G0);
 * 4. per sentence: the template, Dirichlet–categorical (c_t + a)/(n + T a) over exact integer counts
 *    (AdaptiveSymbolCodec), then the value if no earlier document revealed it, uniform over the list (G0).
 *
 * Decoding makes the same decisions in the same order from the same state, then renders the text with the
 * source's compiled templates, so decode(encode(x)) = x. Encoding renders each document the same way and refuses
 * one whose text differs (a batch that does not follow its structure). Elements are numbered locally in order
 * of first sight; the decoded batches carry them as `element`, with `isNew`, `attribute` and `template` as the
 * generator writes them. Encoder and decoder must each use a fresh codec; documents in order.
 */
export class SkDocumentCodec {
  readonly structure: SkDocumentStructure;
  readonly precision: number;
  private readonly content: SkElementContent | undefined;
  private readonly single: boolean;
  private readonly attributeCodec: FrequencyTableCodec | undefined;
  private readonly elements: ElementChoiceCodec;
  private readonly templateCodecs: AdaptiveSymbolCodec[];
  private readonly templatePowers: Float64Array;
  private readonly names: UnusedNames;
  private readonly localOf = new Map<number, number>();
  private nameOfLocal = new Int32Array(256);
  private revealedOfLocal = new Int32Array(256);
  private valueOfLocal: Int32Array;

  /** `content` is needed to encode (the source that generated the documents), not to decode. */
  constructor(structure: SkDocumentStructure, options: { readonly content?: SkElementContent; readonly precision?: number } = {}) {
    const precision = options.precision ?? defaultPrecision;
    if (!(Number.isInteger(precision) && precision >= 8 && precision <= maxTotalBits)) {
      throw new KolmoError('invalidSpec', `sk document codec: precision must be an integer in [8, ${maxTotalBits}] bits, got ${precision} (theory §8 asks for P ≥ 24)`);
    }
    const A = structure.attributeCount;
    if (A > 30) throw new KolmoError('invalidSpec', `sk document codec: at most 30 attributes (revealed values are a bitmask), got ${A}`);
    this.structure = structure;
    this.precision = precision;
    this.content = options.content;
    this.single = structure.mode === 'single-attribute';
    this.attributeCodec =
      this.single && A > 1 ? new FrequencyTableCodec(quantizeFrequencies(structure.attributeProbabilities, precision), precision) : undefined;
    this.elements = new ElementChoiceCodec(structure.prior);
    this.templateCodecs = Array.from({ length: A }, () => new AdaptiveSymbolCodec(structure.templates, structure.syntaxModel.prior, precision));
    this.templatePowers = Float64Array.from({ length: A }, (_, a) => structure.templates ** a);
    this.names = new UnusedNames(structure.nameCount);
    this.valueOfLocal = new Int32Array(256 * A);
  }

  /**
   * Codes the documents of a batch (columns `element`, `attribute`, `template` as the generator writes them)
   * into `encoder`; returns each document's bits under the quantized distributions used.
   * Throws KolmoError('input') for a document that does not follow its structure or the mode.
   */
  encode(batch: DocumentBatch, encoder: EntropyEncoder): Float64Array {
    const content = this.content;
    if (!content) throw new KolmoError('invalidSpec', 'sk document codec: encoding needs the content of the elements (the source that generated the documents)');
    const { element, attribute, template } = structureColumns(batch);
    const { structure, single } = this;
    const A = structure.attributeCount;
    const T = structure.templates;
    const F = structure.firstNames.length;
    const bits = new Float64Array(batch.text.length);
    for (let row = 0; row < bits.length; row++) {
      const doc = batch.first + row;
      const e = element[row];
      const code = template[row];
      let firstAttribute = 0;
      let lastAttribute = A - 1;
      let documentBits = 0;
      if (single) {
        const a = attribute[row];
        if (!(a >= 0 && a < A)) throw mismatch(doc, `attribute ${a} is not one of the ${A} attributes (single-attribute mode)`);
        if (this.attributeCodec) documentBits += this.attributeCodec.encode(a, encoder);
        firstAttribute = lastAttribute = a;
      } else if (attribute[row] !== -1) {
        throw mismatch(doc, `attribute ${attribute[row]} in all-attributes mode (expected −1)`);
      }
      let local = this.localOf.get(e) ?? -1;
      const known = this.elements.distinct;
      documentBits += this.elements.encode(local < 0 ? known : local, encoder);
      if (local < 0) {
        const name = content.firstNameOf(e) + F * content.lastNameOf(e);
        documentBits += encodeUniformInteger(this.names.rankOf(name), this.names.available, encoder);
        local = this.open(name);
        this.localOf.set(e, local);
      }
      for (let a = firstAttribute; a <= lastAttribute; a++) {
        const t = single ? code : Math.floor(code / this.templatePowers[a]) % T;
        if (!(t >= 0 && t < T)) throw mismatch(doc, `template ${t} of attribute ${a} is not one of the ${T} templates`);
        documentBits += this.templateCodecs[a].encode(t, encoder);
        if (!((this.revealedOfLocal[local] >> a) & 1)) {
          const v = content.valueOf(e, a);
          documentBits += encodeUniformInteger(v, structure.values[a].length, encoder);
          this.reveal(local, a, v);
        }
      }
      const text = this.render(local, firstAttribute, lastAttribute, code);
      if (text !== batch.text[row]) throw mismatch(doc, `its text is not what its structure renders to (${JSON.stringify(text)})`);
      bits[row] = documentBits;
    }
    return bits;
  }

  /** Decodes the next `count` documents; `first` is the run-wide index of the first one. */
  decode(count: number, decoder: EntropyDecoder, first = 0): DocumentBatch {
    const { structure, single } = this;
    const A = structure.attributeCount;
    const text = new Array<string>(count);
    const element = new Int32Array(count);
    const isNew = new Uint8Array(count);
    const attribute = new Int32Array(count);
    const template = new Int32Array(count);
    for (let row = 0; row < count; row++) {
      const firstAttribute = single ? (this.attributeCodec ? this.attributeCodec.decode(decoder) : 0) : 0;
      const lastAttribute = single ? firstAttribute : A - 1;
      const known = this.elements.distinct;
      let local = this.elements.decode(decoder);
      if (local === known) {
        const name = this.names.nameAt(decodeUniformInteger(this.names.available, decoder));
        local = this.open(name);
        isNew[row] = 1;
      }
      let code = 0;
      for (let a = firstAttribute; a <= lastAttribute; a++) {
        const t = this.templateCodecs[a].decode(decoder);
        code += single ? t : t * this.templatePowers[a];
        if (!((this.revealedOfLocal[local] >> a) & 1)) this.reveal(local, a, decodeUniformInteger(structure.values[a].length, decoder));
      }
      text[row] = this.render(local, firstAttribute, lastAttribute, code);
      element[row] = local;
      attribute[row] = single ? firstAttribute : -1;
      template[row] = code;
    }
    return { first, text, columns: { element, isNew, attribute, template } };
  }

  /** The text of a document about `local` with these sentences, as the generator renders it. */
  private render(local: number, firstAttribute: number, lastAttribute: number, code: number): string {
    const { structure, single } = this;
    const F = structure.firstNames.length;
    const nameIndex = this.nameOfLocal[local];
    const name = structure.firstNames[nameIndex % F] + ' ' + structure.lastNames[Math.floor(nameIndex / F)];
    const A = structure.attributeCount;
    let text = '';
    for (let a = firstAttribute; a <= lastAttribute; a++) {
      const t = single ? code : Math.floor(code / this.templatePowers[a]) % structure.templates;
      const sentence = structure.sentence(a, t, a > firstAttribute);
      const value = structure.values[a][this.valueOfLocal[local * A + a]];
      const chunks = sentence.chunks;
      text += sentence.slots[0] === 'name' ? chunks[0] + name + chunks[1] + value + chunks[2] : chunks[0] + value + chunks[1] + name + chunks[2];
    }
    return text;
  }

  /** A new element with this name: the next local id. */
  private open(name: number): number {
    const local = this.elements.distinct - 1; // the element codec has just recorded it
    this.names.take(name);
    if (local >= this.nameOfLocal.length) {
      const size = 2 * this.nameOfLocal.length;
      const grow = (array: Int32Array, length: number) => {
        const grown = new Int32Array(length);
        grown.set(array);
        return grown;
      };
      this.nameOfLocal = grow(this.nameOfLocal, size);
      this.revealedOfLocal = grow(this.revealedOfLocal, size);
      this.valueOfLocal = grow(this.valueOfLocal, size * this.structure.attributeCount);
    }
    this.nameOfLocal[local] = name;
    return local;
  }

  private reveal(local: number, attribute: number, value: number): void {
    this.revealedOfLocal[local] |= 1 << attribute;
    this.valueOfLocal[local * this.structure.attributeCount + attribute] = value;
  }
}

/** A coded corpus: the bytes, how many documents they hold, and Σ −log2 of the quantized probabilities used. */
export interface SkDocumentEncoding {
  readonly bytes: Uint8Array;
  readonly documents: number;
  readonly bits: number;
}

/**
 * Range-codes documents with a fresh SkDocumentCodec. The bytes are a header (the precision, then the document
 * count as a LEB128 varint) and the range coder's payload; decoding needs only them and the structure.
 */
export function encodeSkDocuments(
  batches: Iterable<DocumentBatch>,
  source: SkDocumentStructure & SkElementContent,
  options: { readonly precision?: number } = {},
): SkDocumentEncoding {
  const codec = new SkDocumentCodec(source, { content: source, precision: options.precision });
  const encoder = new RangeEncoder();
  const pieces: Uint8Array[] = [];
  let documents = 0;
  let bits = 0;
  for (const batch of batches) {
    const batchBits = codec.encode(batch, encoder);
    for (let i = 0; i < batchBits.length; i++) bits += batchBits[i];
    documents += batchBits.length;
    pieces.push(encoder.take());
  }
  pieces.push(encoder.finish());
  const header = [codec.precision, ...varint(documents)];
  const bytes = new Uint8Array(header.length + pieces.reduce((n, piece) => n + piece.length, 0));
  bytes.set(header, 0);
  let offset = header.length;
  for (const piece of pieces) {
    bytes.set(piece, offset);
    offset += piece.length;
  }
  return { bytes, documents, bits };
}

/**
 * Decodes what `encodeSkDocuments` made, given only the same structure (settings), into batches of at most
 * `batchDocuments` documents numbered from `first`. Throws KolmoError('input') for a malformed or corrupted input.
 */
export function decodeSkDocuments(
  bytes: Uint8Array,
  structure: SkDocumentStructure,
  options: { readonly first?: number; readonly batchDocuments?: number } = {},
): DocumentBatch[] {
  const precision = bytes[0];
  let documents = 0;
  let offset = 1;
  for (let shift = 0; ; shift += 7) {
    if (offset >= bytes.length || shift > 49) throw new KolmoError('input', 'sk documents: truncated or malformed header');
    const byte = bytes[offset++];
    documents += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) break;
  }
  if (!(precision >= 8 && precision <= maxTotalBits)) throw new KolmoError('input', `sk documents: malformed header (precision ${precision})`);
  const codec = new SkDocumentCodec(structure, { precision });
  const decoder = new RangeDecoder(bytes.subarray(offset));
  const batchDocuments = options.batchDocuments ?? 4096;
  const batches: DocumentBatch[] = [];
  const first = options.first ?? 0;
  try {
    for (let done = 0; done < documents; ) {
      const count = Math.min(batchDocuments, documents - done);
      batches.push(codec.decode(count, decoder, first + done));
      done += count;
    }
    decoder.finish();
  } catch (error) {
    if (error instanceof KolmoError) throw error;
    throw new KolmoError('input', `sk documents: corrupted input: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return batches;
}

function varint(value: number): number[] {
  const bytes: number[] = [];
  while (value >= 0x80) {
    bytes.push((value % 0x80) | 0x80);
    value = Math.floor(value / 0x80);
  }
  bytes.push(value);
  return bytes;
}

function structureColumns(batch: DocumentBatch): { element: Int32Array; attribute: Int32Array; template: Int32Array } {
  const { element, attribute, template } = batch.columns;
  if (!(element instanceof Int32Array && attribute instanceof Int32Array && template instanceof Int32Array)) {
    throw new KolmoError('input', 'sk document codec: the batch lacks the syntax-knowledge structure columns (element, attribute, template as Int32Array)');
  }
  return { element, attribute, template };
}

function mismatch(doc: number, what: string): KolmoError {
  return new KolmoError('input', `sk document codec: document ${doc} does not match its structure: ${what}`);
}
