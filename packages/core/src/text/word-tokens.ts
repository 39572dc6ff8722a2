/**
 * A word grammar: the one of Syntax-Knowledge texts, shared by the SK generator (token counts), the slot-word
 * tokenizer and the word vocabularies of models trained on SK corpora (in-process LLM backends).
 * A token is an optional single space followed by either a word (a maximal run of characters that are neither
 * a space nor punctuation) or one punctuation mark; a space followed by neither (a trailing or doubled space)
 * is a token of its own. Concatenating the tokens gives back the text exactly.
 */
export const punctuationMarks = '.,;:?!';

const SPACE = 0x20;

export function isPunctuation(code: number): boolean {
  return code === 0x2e || code === 0x2c || code === 0x3b || code === 0x3a || code === 0x3f || code === 0x21;
}

/** Calls `emit(start, end)` for each token of `text`, in order; no allocation. */
export function forEachWordToken(text: string, emit: (start: number, end: number) => void): void {
  const length = text.length;
  let i = 0;
  while (i < length) {
    const start = i;
    if (text.charCodeAt(i) === SPACE) {
      i++;
      if (i === length || text.charCodeAt(i) === SPACE) {
        emit(start, i);
        continue;
      }
    }
    if (isPunctuation(text.charCodeAt(i))) {
      i++;
    } else {
      while (i < length) {
        const code = text.charCodeAt(i);
        if (code === SPACE || isPunctuation(code)) break;
        i++;
      }
    }
    emit(start, i);
  }
}

export function splitWordTokens(text: string): string[] {
  const tokens: string[] = [];
  forEachWordToken(text, (start, end) => tokens.push(text.slice(start, end)));
  return tokens;
}
