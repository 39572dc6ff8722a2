/** A numbered heading of docs/theory.md, e.g. `### §4.2 Model scaling law` → section "4.2". */
export interface TheoryHeading {
  readonly section: string;
  readonly title: string;
  /** 1-based line in the document. */
  readonly line: number;
}

export interface TheoryOutline {
  readonly headings: readonly TheoryHeading[];
  /** Section numbers that head more than one heading, with every line they head. */
  readonly duplicates: readonly { section: string; lines: number[] }[];
  /** Headings numbered below the one before them, or subsections with no heading of their parent before them. */
  readonly misplaced: readonly { section: string; line: number; problem: string }[];
}

/** `## §4 Title`, `### §4.2 Title`: level 2 to 6, the number right after the hashes, then the title. */
const numberedHeading = /^#{2,6}[ \t]+§(\d+(?:\.\d+)*)[ \t]+(\S.*?)[ \t]*#*[ \t]*$/;
const fence = /^[ \t]{0,3}(```|~~~)/;

/** The numbered headings of a Markdown document (lines inside fenced code blocks are not headings). */
export function parseTheoryHeadings(markdown: string): TheoryOutline {
  const headings: TheoryHeading[] = [];
  const linesOf = new Map<string, number[]>();
  let openFence: string | undefined;
  markdown.split(/\r?\n/).forEach((text, index) => {
    const fenceMatch = fence.exec(text);
    if (fenceMatch) {
      if (openFence === undefined) openFence = fenceMatch[1];
      else if (fenceMatch[1] === openFence) openFence = undefined;
      return;
    }
    if (openFence !== undefined) return;
    const match = numberedHeading.exec(text);
    if (!match) return;
    const heading = { section: match[1], title: match[2], line: index + 1 };
    headings.push(heading);
    linesOf.set(heading.section, [...(linesOf.get(heading.section) ?? []), heading.line]);
  });
  const duplicates = [...linesOf].filter(([, lines]) => lines.length > 1).map(([section, lines]) => ({ section, lines }));
  const misplaced: { section: string; line: number; problem: string }[] = [];
  const seen = new Set<string>();
  headings.forEach(({ section, line }, i) => {
    const parent = section.includes('.') ? section.slice(0, section.lastIndexOf('.')) : undefined;
    if (parent !== undefined && !seen.has(parent)) misplaced.push({ section, line, problem: `has no heading of its parent §${parent} before it` });
    const previous = headings[i - 1];
    if (previous && compareSections(section, previous.section) < 0) misplaced.push({ section, line, problem: `comes after §${previous.section}: numbers must increase` });
    seen.add(section);
  });
  return { headings, duplicates, misplaced };
}

/** Orders section numbers component by component, numerically (§2.10 after §2.9; §2 before §2.1). */
export function compareSections(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if ((x[i] ?? -1) !== (y[i] ?? -1)) return (x[i] ?? -1) - (y[i] ?? -1);
  }
  return 0;
}
