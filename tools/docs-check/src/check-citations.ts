import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findCitations, type Citation } from './citations.ts';
import { citingFiles, theoryDocument } from './citing-files.ts';
import { compareSections, parseTheoryHeadings, type TheoryOutline } from './theory-headings.ts';

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
 * Checks that every section cited in the workspace's sources and docs (`theory §n`, `SPEC §n`; see `citingFiles`)
 * heads a section of docs/theory.md, that no section number heads two sections (a citation would then be
 * ambiguous), and that the numbers are in order with every subsection under its parent.
 */
export function checkCitations(root: string): CitationReport {
  const outline = parseTheoryHeadings(readFileSync(join(root, theoryDocument), 'utf8'));
  const problems: string[] = [];
  for (const { section, lines } of outline.duplicates) {
    problems.push(`${theoryDocument}:${lines[1]}: §${section} heads more than one section (lines ${lines.join(', ')})`);
  }
  for (const { section, line, problem } of outline.misplaced) problems.push(`${theoryDocument}:${line}: §${section} ${problem}`);
  const known = new Set(outline.headings.map((heading) => heading.section));
  const citations: LocatedCitation[] = [];
  for (const file of citingFiles(root)) {
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
  return [...bySection]
    .sort(([a], [b]) => compareSections(a, b))
    .map(([section, { count, files }]) => ({ section, count, files: [...files].sort() }));
}
