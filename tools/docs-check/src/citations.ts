/** One cited section of the theory document in a source file. */
export interface Citation {
  /** The cited section number, e.g. "n" or "n.m" with digits. */
  readonly section: string;
  /** 1-based line and column of the `§` that cites it. */
  readonly line: number;
  readonly column: number;
  /** The word naming the document: `theory`, or `SPEC` (the name used before docs/theory.md existed). */
  readonly prefix: 'theory' | 'SPEC';
}

/**
 * `theory §n`, `SPEC §n.m` (n, m digits), and the further sections of a list or range that follows one, as in
 * `SPEC §n, §m`, `SPEC §n and §m` or `SPEC §n–§m` (both ends cited). A bare `§n` is not a citation of the theory:
 * other documents are cited that way too (`CSN §n.m`, a paper's own section). (This comment writes letters for
 * the digits so that the check, which reads this file too, sees no citation here.)
 */
const citation = /\b(theory|SPEC)[ \t]+§(\d+(?:\.\d+)*)((?:[ \t]*(?:,|;|–|-|\band\b|\bor\b)[ \t]*§\d+(?:\.\d+)*)*)/g;
const listed = /§(\d+(?:\.\d+)*)/g;

export function findCitations(text: string): Citation[] {
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const position = (offset: number) => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (lineStarts[middle] <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: offset - lineStarts[low] + 1 };
  };
  const found: Citation[] = [];
  for (const match of text.matchAll(citation)) {
    const prefix = match[1] as Citation['prefix'];
    const first = match.index + match[0].indexOf('§');
    found.push({ section: match[2], prefix, ...position(first) });
    for (const more of match[3].matchAll(listed)) {
      found.push({ section: more[1], prefix, ...position(match.index + match[0].length - match[3].length + more.index) });
    }
  }
  return found;
}
