import { forEachWordToken } from '@kolmo/core';

/** One token of a sentence template: a literal syntax token, or the slot of the name or of the value. */
export type SentencePiece =
  | { readonly kind: 'syntax'; readonly text: string }
  | { readonly kind: 'name'; readonly spaced: boolean }
  | { readonly kind: 'value'; readonly spaced: boolean };

/**
 * A template compiled for rendering and tokenizing: the literal text around its slots (`chunks`, spaces
 * included) and its token pieces, where the space before a slot belongs to the slot's first token (the word
 * grammar attaches a space to the word after it). `text = chunks[0] + slot 0 + chunks[1] + slot 1 + chunks[2]`.
 */
export interface CompiledSentence {
  readonly template: string;
  readonly chunks: readonly string[];
  /** The slots in text order. */
  readonly slots: readonly ('name' | 'value')[];
  readonly pieces: readonly SentencePiece[];
  readonly syntaxTokens: number;
}

const NAME = '\u0001';
const VALUE = '\u0002';

/**
 * Compiles a template with `{name}` and (optionally) `{value}` slots; `leadingSpace` renders it after a space
 * (a later sentence of a document). Each slot must stand alone as a token, and there must be syntax tokens.
 */
export function compileSentence(template: string, leadingSpace: boolean): CompiledSentence {
  const text = (leadingSpace ? ' ' : '') + template;
  const marked = text.replaceAll('{name}', NAME).replaceAll('{value}', VALUE);
  if (/[{}]/.test(marked)) throw new Error(`template "${template}": unknown slot (only {name} and {value})`);
  const pieces: SentencePiece[] = [];
  const slots: ('name' | 'value')[] = [];
  const chunks: string[] = [];
  let chunkStart = 0;
  let syntaxTokens = 0;
  forEachWordToken(marked, (start, end) => {
    const token = marked.slice(start, end);
    const spaced = token.startsWith(' ');
    const bare = spaced ? token.slice(1) : token;
    if (bare === NAME || bare === VALUE) {
      const kind = bare === NAME ? 'name' : 'value';
      pieces.push({ kind, spaced });
      slots.push(kind);
      chunks.push(marked.slice(chunkStart, end - 1));
      chunkStart = end;
    } else if (token.includes(NAME) || token.includes(VALUE)) {
      throw new Error(`template "${template}": a slot must stand alone as a token (space or punctuation around it)`);
    } else {
      pieces.push({ kind: 'syntax', text: token });
      syntaxTokens++;
    }
  });
  chunks.push(marked.slice(chunkStart));
  if (slots.filter((s) => s === 'name').length !== 1) throw new Error(`template "${template}": needs exactly one {name}`);
  if (slots.filter((s) => s === 'value').length > 1) throw new Error(`template "${template}": at most one {value}`);
  if (syntaxTokens === 0) throw new Error(`template "${template}": needs at least one syntax token`);
  return { template, chunks, slots, pieces, syntaxTokens };
}
