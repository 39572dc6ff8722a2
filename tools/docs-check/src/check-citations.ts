import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findCitations, type Citation } from './citations.ts';
import { listSourceFiles } from './source-files.ts';
import { parseTheoryHeadings, type TheoryOutline } from './theory-headings.ts';

export const theoryDocument = 'docs/theory.md';

export interface LocatedCitation extends Citation {
  /** Path relative to the workspace root. */
  readonly file: string;
}

export interface CitationReport {
  readonly outline: TheoryOutline;
  readonly citations: readonly LocatedCitation[];
  /** One line per problem, `file:line: what is wrong`; empty when every citation resolves. */
  readonly problems: readonly string[];
}

/**
 * Checks that every section cited in the workspace's sources (`theory §n`, `SPEC §n`) heads a section of
 * docs/theory.md, and that no section number heads two sections (a citation would then be ambiguous).
 */
export function checkCitations(root: string): CitationReport {
  const outline = parseTheoryHeadings(readFileSync(join(root, theoryDocument), 'utf8'));
  const problems: string[] = [];
  for (const { section, lines } of outline.duplicates) {
    problems.push(`${theoryDocument}:${lines[1]}: §${section} heads more than one section (lines ${lines.join(', ')})`);
  }
  const known = new Set(outline.headings.map((heading) => heading.section));
  const citations: LocatedCitation[] = [];
  for (const file of listSourceFiles(root)) {
    for (const found of findCitations(readFileSync(join(root, file), 'utf8'))) {
      citations.push({ file, ...found });
      if (!known.has(found.section)) {
        problems.push(`${file}:${found.line}: cites ${found.prefix} §${found.section}, which has no heading in ${theoryDocument}`);
      }
    }
  }
  return { outline, citations, problems };
}

/** Cited sections in document order with how often and where each is cited. */
export function citedSections(citations: readonly LocatedCitation[]): { section: string; count: number; files: string[] }[] {
  const bySection = new Map<string, { count: number; files: Set<string> }>();
  for (const { section, file } of citations) {
    const entry = bySection.get(section) ?? { count: 0, files: new Set<string>() };
    entry.count++;
    entry.files.add(file);
    bySection.set(section, entry);
  }
  const order = (section: string) => section.split('.').map(Number);
  return [...bySection]
    .sort(([a], [b]) => {
      const x = order(a);
      const y = order(b);
      for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? -1) !== (y[i] ?? -1)) return (x[i] ?? -1) - (y[i] ?? -1);
      return 0;
    })
    .map(([section, { count, files }]) => ({ section, count, files: [...files].sort() }));
}
