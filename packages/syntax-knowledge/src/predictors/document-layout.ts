import { KolmoError, Slot, type TokenBatch } from '@kolmo/core';
import type { SyntaxKnowledgeSource } from '../syntax-knowledge-source.ts';

/**
 * The parts of one syntax-knowledge document and the tokens they sit on: its element, and per sentence the
 * attribute, the template, the sentence's first syntax token and its value's first token; plus the document's
 * first name token. These are exactly the tokens the oracle's bits sit on (see the slot-word tokenizer), so
 * every predictor here places its bits the same way and per-slot sums compare like with like.
 * Reused across documents (no allocation per document).
 */
export class DocumentParts {
  /** Run-wide document index. */
  doc = 0;
  /** The generator's element id (order of first appearance in the source; a name identifies it). */
  element = 0;
  /** Sentences in this document: 1 (single-attribute) or A (all-attributes). */
  sentences = 0;
  readonly attribute: Int32Array;
  readonly template: Int32Array;
  /** Token index (in the batch) of each sentence's first syntax token. */
  readonly syntaxToken: Int32Array;
  /** Token index of each sentence's value's first token. */
  readonly valueToken: Int32Array;
  /** Token index of the document's first name token. */
  nameToken = 0;
  /** Bitmask of the attributes whose value the document shows. */
  shown = 0;

  constructor(attributes: number) {
    this.attribute = new Int32Array(attributes);
    this.template = new Int32Array(attributes);
    this.syntaxToken = new Int32Array(attributes);
    this.valueToken = new Int32Array(attributes);
  }
}

// Per compiled sentence: offsets of its first syntax token, its first name token, its value's first token, and
// its length, when the value takes no tokens; an offset after the value moves by the value's token count.
const SYNTAX = 0;
const SYNTAX_AFTER_VALUE = 1;
const NAME = 2;
const NAME_AFTER_VALUE = 3;
const VALUE = 4;
const VALUE_SPACED = 5;
const LENGTH = 6;
const STRIDE = 7;

/**
 * Where a document's parts sit among its tokens, computed from the document's structure (element, attribute,
 * template columns: equivalent to parsing the text, since rendering is injective) and the source's compiled
 * templates, in O(sentences) per document. A cheap check (document index, slot labels, document length)
 * catches tokens that do not follow the structure.
 */
export class DocumentLayout {
  readonly attributes: number;
  readonly templates: number;
  private readonly sentences: Int32Array;
  /** valueTokens[a][2v + spaced]: tokens of value v of attribute a. */
  private readonly valueTokens: Int32Array[];
  private readonly templatePowers: Float64Array;
  private readonly source: SyntaxKnowledgeSource;

  constructor(source: SyntaxKnowledgeSource) {
    this.source = source;
    const A = (this.attributes = source.attributeCount);
    const T = (this.templates = source.templates);
    this.sentences = new Int32Array(A * T * 2 * STRIDE);
    for (let a = 0; a < A; a++) {
      for (let t = 0; t < T; t++) {
        for (const continued of [0, 1]) {
          const sentence = source.sentence(a, t, continued === 1);
          const base = ((a * T + t) * 2 + continued) * STRIDE;
          let position = 0;
          let afterValue = 0;
          let syntax = -1;
          let values = 0;
          for (const piece of sentence.pieces) {
            if (piece.kind === 'syntax') {
              if (syntax < 0) {
                syntax = position;
                this.sentences[base + SYNTAX_AFTER_VALUE] = afterValue;
              }
              position++;
            } else if (piece.kind === 'name') {
              this.sentences[base + NAME] = position;
              this.sentences[base + NAME_AFTER_VALUE] = afterValue;
              position += 2; // first name and last name, one token each
            } else {
              this.sentences[base + VALUE] = position;
              this.sentences[base + VALUE_SPACED] = piece.spaced ? 1 : 0;
              afterValue = 1;
              values++;
            }
          }
          if (values !== 1 || syntax < 0) throw new KolmoError('invalidSpec', `template "${sentence.template}": a syntax-knowledge predictor needs one value and a syntax token per sentence`);
          this.sentences[base + SYNTAX] = syntax;
          this.sentences[base + LENGTH] = position;
        }
      }
    }
    this.valueTokens = source.values.map((list, a) => {
      const counts = new Int32Array(2 * list.length);
      for (let v = 0; v < list.length; v++) {
        counts[2 * v] = source.valueTokens(a, v, false).length;
        counts[2 * v + 1] = source.valueTokens(a, v, true).length;
      }
      return counts;
    });
    this.templatePowers = Float64Array.from({ length: A }, (_, a) => T ** a);
  }

  /** Whether a token batch carries the structure columns this layout reads. */
  static isStructured(tokens: TokenBatch): boolean {
    const { columns } = tokens.documents;
    return columns.element instanceof Int32Array && columns.template instanceof Int32Array && columns.attribute instanceof Int32Array;
  }

  /**
   * Fills `parts` for document `row` of the batch, whose tokens start at `start`; returns the index just past
   * its last token. Throws KolmoError('input') if the tokens do not follow the document's structure.
   */
  place(tokens: TokenBatch, row: number, start: number, parts: DocumentParts): number {
    const { columns, first } = tokens.documents;
    const element = (columns.element as Int32Array)[row];
    const attributeColumn = (columns.attribute as Int32Array)[row];
    const code = (columns.template as Int32Array)[row];
    const source = this.source;
    const T = this.templates;
    const doc = first + row;
    parts.doc = doc;
    parts.element = element;
    if (!(element >= 0 && element < source.elements)) throw this.mismatch(doc, `element ${element} is not one of the source's ${source.elements} individuals`);
    const single = attributeColumn >= 0;
    const firstAttribute = single ? attributeColumn : 0;
    const lastAttribute = single ? attributeColumn : this.attributes - 1;
    if (lastAttribute >= this.attributes) throw this.mismatch(doc, `attribute ${attributeColumn} out of range`);
    let position = start;
    let shown = 0;
    let i = 0;
    for (let a = firstAttribute; a <= lastAttribute; a++, i++) {
      const t = single ? code : Math.floor(code / this.templatePowers[a]) % T;
      if (!(t >= 0 && t < T)) throw this.mismatch(doc, `template ${t} out of range`);
      const base = ((a * T + t) * 2 + (i > 0 ? 1 : 0)) * STRIDE;
      const s = this.sentences;
      const valueLength = this.valueTokens[a][2 * source.valueOf(element, a) + s[base + VALUE_SPACED]];
      parts.attribute[i] = a;
      parts.template[i] = t;
      parts.syntaxToken[i] = position + s[base + SYNTAX] + (s[base + SYNTAX_AFTER_VALUE] ? valueLength : 0);
      parts.valueToken[i] = position + s[base + VALUE];
      if (i === 0) parts.nameToken = position + s[base + NAME] + (s[base + NAME_AFTER_VALUE] ? valueLength : 0);
      shown |= 1 << a;
      position += s[base + LENGTH] + valueLength;
    }
    parts.sentences = i;
    parts.shown = shown;
    this.check(tokens, parts, start, position);
    return position;
  }

  private check(tokens: TokenBatch, parts: DocumentParts, start: number, end: number): void {
    const { doc, slot } = tokens;
    const ok =
      end <= tokens.length &&
      doc[start] === parts.doc &&
      doc[end - 1] === parts.doc &&
      (end === tokens.length || doc[end] !== parts.doc) &&
      (start === 0 || doc[start - 1] !== parts.doc) &&
      slot[parts.nameToken] === Slot.name &&
      slot[parts.syntaxToken[0]] === Slot.syntax &&
      slot[parts.valueToken[0]] === Slot.value;
    if (!ok) throw this.mismatch(parts.doc, `its tokens [${start}, ${end}) do not follow its structure`);
  }

  private mismatch(doc: number, what: string): KolmoError {
    return new KolmoError('input', `syntax-knowledge predictor: document ${doc} does not match its structure: ${what}`);
  }
}
