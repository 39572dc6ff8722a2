import { defineStage, KolmoError, Slot, type DocumentBatch, type TokenBatch, type Tokenizer } from '@kolmo/core';
import { attributeCatalog } from './biography/attribute-catalog.ts';
import { compileSentence, type CompiledSentence } from './biography/compiled-sentence.ts';
import { forEachWordToken } from '@kolmo/core';
import { syntaxKnowledgeSourceOf } from './syntax-knowledge-generator.ts';
import { truthOf, type SyntaxKnowledgeSource } from './syntax-knowledge-source.ts';
import { z } from 'zod';

// Slot ops in a compiled sentence program; ops ≥ 0 are syntax token ids.
const NAME = -1;
const NAME_SPACED = -2;
const VALUE = -3;
const VALUE_SPACED = -4;

/**
 * Word-level tokens with slot labels for syntax-knowledge documents (theory §2). A token is a word or a
 * punctuation mark with the single space before it, if any (see the generator's word grammar), so
 * detokenize(tokenize(x)) === x exactly. The vocabulary is built up front from the source's own templates,
 * questions, names and value lists, in that fixed order: id 0 is a lone space, ids never depend on the data.
 *
 * SK documents are tokenized along their known structure (attribute, template, element from the batch's
 * ground-truth columns), and every token is checked against the text, so a document that does not match its
 * structure is an error, never a silent mislabel. Each token gets its slot (syntax, name, value) and its oracle
 * bits: a sentence's syntax bits on its first syntax token, the element's bits on the document's first name
 * token, first-time value bits (priors without true weights only) on the value's first token, 0 elsewhere —
 * so in document order the syntax tokens sum to `syntaxBits` and the knowledge tokens to `knowledgeBits`.
 * Other text (QA prompts, anything without those columns) is tokenized by the vocabulary alone, as slot `text`.
 */
export class SlotWordTokenizer implements Tokenizer {
  readonly vocabularySize: number;
  readonly source: SyntaxKnowledgeSource;
  private readonly verify: boolean;
  private readonly vocabulary = new Map<string, number>();
  private readonly texts: string[] = [];
  private readonly lengths: Int32Array;
  /** programs[(a·T + t)·2 + continued]. */
  private readonly programs: Int32Array[] = [];
  private readonly firstNameIds: Int32Array; // [2·f + spaced]
  private readonly lastNameIds: Int32Array;
  private readonly valueIds: Int32Array[] = []; // per attribute, flat
  private readonly valueOffsets: Int32Array[] = []; // per attribute: [2·v + spaced] → start in valueIds, end at the next
  private readonly valueBits: Float64Array;
  private readonly maxSentenceTokens: number;
  private scratch = new Scratch(1 << 14);

  constructor(source: SyntaxKnowledgeSource, options: { verify?: boolean } = {}) {
    this.source = source;
    this.verify = options.verify ?? true;
    const A = source.attributeCount;
    const T = source.templates;
    this.add(' ');
    const sentences: CompiledSentence[] = [];
    for (let a = 0; a < A; a++) for (let t = 0; t < T; t++) sentences.push(source.sentence(a, t, false), source.sentence(a, t, true));
    const questions = source.attributeNames.map((name) => compileSentence(attributeCatalog[name].question, false));
    for (const sentence of [...sentences, ...questions]) for (const piece of sentence.pieces) if (piece.kind === 'syntax') this.add(piece.text);
    const variants = { name: [false, false], value: [false, false] };
    for (const sentence of [...sentences, ...questions]) {
      for (const piece of sentence.pieces) if (piece.kind !== 'syntax') variants[piece.kind][piece.spaced ? 1 : 0] = true;
    }
    variants.value[1] = true; // QA answers follow "prefix " and read as spaced values
    this.programs = sentences.map((sentence) =>
      Int32Array.from(sentence.pieces, (piece) =>
        piece.kind === 'syntax' ? this.vocabulary.get(piece.text)! : piece.kind === 'name' ? (piece.spaced ? NAME_SPACED : NAME) : piece.spaced ? VALUE_SPACED : VALUE,
      ),
    );
    this.firstNameIds = new Int32Array(2 * source.firstNames.length).fill(-1);
    source.firstNames.forEach((first, f) => {
      if (variants.name[0]) this.firstNameIds[2 * f] = this.add(first);
      if (variants.name[1]) this.firstNameIds[2 * f + 1] = this.add(' ' + first);
    });
    this.lastNameIds = Int32Array.from(source.lastNames, (last) => this.add(' ' + last));
    for (let a = 0; a < A; a++) {
      const ids: number[] = [];
      const offsets = new Int32Array(2 * source.values[a].length + 1);
      for (let v = 0; v < source.values[a].length; v++) {
        for (const spaced of [false, true]) {
          offsets[2 * v + (spaced ? 1 : 0)] = ids.length;
          if (variants.value[spaced ? 1 : 0]) for (const token of source.valueTokens(a, v, spaced)) ids.push(this.add(token));
        }
      }
      offsets[offsets.length - 1] = ids.length;
      this.valueIds.push(Int32Array.from(ids));
      this.valueOffsets.push(offsets);
    }
    this.valueBits = Float64Array.from(source.values, (_, a) => -source.log2ValueProbability(a));
    this.vocabularySize = this.texts.length;
    this.lengths = Int32Array.from(this.texts, (text) => text.length);
    let longestValue = 0;
    for (let a = 0; a < A; a++) {
      const offsets = this.valueOffsets[a];
      for (let k = 0; k + 1 < offsets.length; k++) longestValue = Math.max(longestValue, offsets[k + 1] - offsets[k]);
    }
    // A name op is two tokens, a value op up to `longestValue`.
    this.maxSentenceTokens = Math.max(...this.programs.map((program) => program.length)) + 1 + longestValue;
  }

  /** The id of a token text (with its leading space, if any), or −1. */
  idOf(token: string): number {
    return this.vocabulary.get(token) ?? -1;
  }

  tokenText(id: number): string {
    return this.texts[id];
  }

  detokenize(ids: ArrayLike<number>): string {
    let text = '';
    for (let i = 0; i < ids.length; i++) text += this.texts[ids[i]];
    return text;
  }

  tokenize(documents: DocumentBatch): TokenBatch {
    const { columns } = documents;
    const structured = columns.element instanceof Int32Array && columns.template instanceof Int32Array && columns.attribute instanceof Int32Array;
    return structured ? this.tokenizeStructured(documents) : this.tokenizeText(documents);
  }

  /** Vocabulary-only tokenization of arbitrary text (slot `text`, no true bits); unknown words are an error. */
  tokenizeText(documents: DocumentBatch): TokenBatch {
    const out = this.scratch.reset();
    documents.text.forEach((text, row) => {
      const doc = documents.first + row;
      forEachWordToken(text, (start, end) => {
        const id = this.vocabulary.get(text.slice(start, end));
        if (id === undefined) {
          throw new KolmoError('input', `slot-word tokenizer: document ${doc} has "${text.slice(start, end)}" at offset ${start}, which is not in the model's vocabulary`);
        }
        out.push(id, doc, Slot.text, start, end, 0);
      });
    });
    return out.batch(documents, false);
  }

  private tokenizeStructured(documents: DocumentBatch): TokenBatch {
    const source = this.source;
    const { columns } = documents;
    const element = columns.element as Int32Array;
    const template = columns.template as Int32Array;
    const attribute = columns.attribute as Int32Array;
    const knowledgeBits = columns.knowledgeBits as Float64Array | undefined;
    const nameBits = columns.nameBits as Float64Array | undefined;
    const revealed = columns.revealedValues as Int32Array | undefined;
    const A = source.attributeCount;
    const T = source.templates;
    const F = source.firstNames.length;
    const out = this.scratch.reset();
    const { programs, firstNameIds, lastNameIds, lengths, verify } = this;
    // The φ the batch was drawn under (truth flows forward with the batch); documents the source did not draw
    // (QA renderings, tests) get the φ in force now.
    const sentenceBits = truthOf(documents)?.sentenceBits;
    for (let row = 0; row < documents.text.length; row++) {
      const text = documents.text[row];
      const doc = documents.first + row;
      const e = element[row];
      if (!(e >= 0 && e < source.elements)) throw this.mismatch(doc, `element ${e} is not one of the source's ${source.elements} individuals`);
      const single = attribute[row] >= 0;
      const firstAttribute = single ? attribute[row] : 0;
      const lastAttribute = single ? firstAttribute : A - 1;
      const first = source.firstNameOf(e);
      const firstNameOffset = 2 * (first % F);
      const lastNameId = lastNameIds[source.lastNameOf(e)];
      let elementBits = nameBits ? nameBits[row] : knowledgeBits ? knowledgeBits[row] : 0;
      let position = 0;
      out.reserve((lastAttribute - firstAttribute + 1) * this.maxSentenceTokens);
      const { ids, doc: docs, slot, start, end, bits } = out;
      let n = out.length;
      for (let a = firstAttribute; a <= lastAttribute; a++) {
        const t = single ? template[row] : source.templateOf(template[row], a);
        if (!(a < A && t >= 0 && t < T)) throw this.mismatch(doc, `attribute ${a} / template ${t} out of range`);
        const continued = a > firstAttribute;
        const program = programs[(a * T + t) * 2 + (continued ? 1 : 0)];
        const v = source.valueOf(e, a);
        if (verify) this.verifySentence(text, doc, position, source.sentence(a, t, continued), source.nameOf(e), source.values[a][v]);
        let syntaxBits = sentenceBits ? sentenceBits[a * T + t] : source.sentenceSyntaxBits(a, t);
        const firstValueBits = revealed && (revealed[row] >> a) & 1 ? this.valueBits[a] : 0;
        for (let p = 0; p < program.length; p++) {
          const op = program[p];
          if (op >= 0) {
            ids[n] = op;
            slot[n] = Slot.syntax;
            bits[n] = syntaxBits;
            syntaxBits = 0;
            docs[n] = doc;
            start[n] = position;
            position += lengths[op];
            end[n++] = position;
          } else if (op === NAME || op === NAME_SPACED) {
            const firstId = firstNameIds[firstNameOffset + (op === NAME_SPACED ? 1 : 0)];
            ids[n] = firstId;
            slot[n] = Slot.name;
            bits[n] = elementBits;
            elementBits = 0;
            docs[n] = doc;
            start[n] = position;
            position += lengths[firstId];
            end[n++] = position;
            ids[n] = lastNameId;
            slot[n] = Slot.name;
            bits[n] = 0;
            docs[n] = doc;
            start[n] = position;
            position += lengths[lastNameId];
            end[n++] = position;
          } else {
            const offsets = this.valueOffsets[a];
            const valueIds = this.valueIds[a];
            const k = 2 * v + (op === VALUE_SPACED ? 1 : 0);
            let valueBits = firstValueBits;
            for (let j = offsets[k], stop = offsets[k + 1]; j < stop; j++) {
              const id = valueIds[j];
              ids[n] = id;
              slot[n] = Slot.value;
              bits[n] = valueBits;
              valueBits = 0;
              docs[n] = doc;
              start[n] = position;
              position += lengths[id];
              end[n++] = position;
            }
          }
        }
      }
      out.length = n;
      if (position !== text.length) throw this.mismatch(doc, `its structure covers ${position} of ${text.length} characters`);
    }
    return out.batch(documents, true);
  }

  /** The sentence's literal chunks, name and value, each checked in place (the tokens are cut from these). */
  private verifySentence(text: string, doc: number, position: number, sentence: CompiledSentence, name: string, value: string): void {
    const { chunks, slots } = sentence;
    let at = position;
    for (let i = 0; i < chunks.length; i++) {
      if (!text.startsWith(chunks[i], at)) throw this.mismatch(doc, `expected "${chunks[i]}" at offset ${at}, found "${text.slice(at, at + chunks[i].length)}"`);
      at += chunks[i].length;
      if (i < slots.length) {
        const filler = slots[i] === 'name' ? name : value;
        if (!text.startsWith(filler, at)) throw this.mismatch(doc, `expected the ${slots[i]} "${filler}" at offset ${at}, found "${text.slice(at, at + filler.length)}"`);
        at += filler.length;
      }
    }
  }

  private mismatch(doc: number, what: string): KolmoError {
    return new KolmoError('input', `slot-word tokenizer: document ${doc} does not match its syntax-knowledge structure: ${what}`);
  }

  private add(token: string): number {
    let id = this.vocabulary.get(token);
    if (id === undefined) {
      id = this.texts.length;
      this.vocabulary.set(token, id);
      this.texts.push(token);
    }
    return id;
  }
}

/** Growable per-token columns, reused across batches; each batch gets its own exact-length copies. */
class Scratch {
  length = 0;
  ids: Int32Array;
  doc: Int32Array;
  slot: Uint8Array;
  start: Int32Array;
  end: Int32Array;
  bits: Float64Array;

  constructor(capacity: number) {
    this.ids = new Int32Array(capacity);
    this.doc = new Int32Array(capacity);
    this.slot = new Uint8Array(capacity);
    this.start = new Int32Array(capacity);
    this.end = new Int32Array(capacity);
    this.bits = new Float64Array(capacity);
  }

  reset(): this {
    this.length = 0;
    return this;
  }

  /** Makes room for `extra` more tokens (callers then write the arrays directly). */
  reserve(extra: number): void {
    while (this.length + extra > this.ids.length) this.grow();
  }

  push(id: number, doc: number, slot: number, start: number, end: number, bits: number): void {
    if (this.length === this.ids.length) this.grow();
    const i = this.length++;
    this.ids[i] = id;
    this.doc[i] = doc;
    this.slot[i] = slot;
    this.start[i] = start;
    this.end[i] = end;
    this.bits[i] = bits;
  }

  batch(documents: DocumentBatch, withBits: boolean): TokenBatch {
    const n = this.length;
    return {
      length: n,
      ids: this.ids.slice(0, n),
      doc: this.doc.slice(0, n),
      slot: this.slot.slice(0, n),
      start: this.start.slice(0, n),
      end: this.end.slice(0, n),
      offsetUnit: 'utf16',
      trueBits: withBits ? this.bits.slice(0, n) : undefined,
      documents,
    };
  }

  private grow(): void {
    const capacity = this.ids.length * 2;
    const grow = <A extends Int32Array | Uint8Array | Float64Array>(array: A, make: (n: number) => A): A => {
      const grown = make(capacity);
      grown.set(array);
      return grown;
    };
    this.ids = grow(this.ids, (n) => new Int32Array(n));
    this.doc = grow(this.doc, (n) => new Int32Array(n));
    this.slot = grow(this.slot, (n) => new Uint8Array(n));
    this.start = grow(this.start, (n) => new Int32Array(n));
    this.end = grow(this.end, (n) => new Int32Array(n));
    this.bits = grow(this.bits, (n) => new Float64Array(n));
  }
}

export const slotWordTokenizer = defineStage({
  kind: 'tokenizer',
  type: 'slot-word',
  description: 'word tokens (with their leading space) labelled syntax / name / value, vocabulary from the syntax-knowledge source, oracle bits per token',
  config: z.object({
    verify: z.boolean().default(true).describe('check every token against the document text (a mismatch is an error)'),
  }),
  create: ({ verify }, context) => {
    const source = syntaxKnowledgeSourceOf(context.upstream.generator);
    if (!source) {
      throw new KolmoError('invalidSpec', 'tokenizer slot-word: needs the syntax-knowledge generator upstream (its vocabulary and structure come from it)');
    }
    return new SlotWordTokenizer(source, { verify });
  },
});
