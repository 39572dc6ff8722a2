import { describe, expect, it } from 'vitest';
import { parseTheoryHeadings } from './theory-headings.ts';

describe('parseTheoryHeadings', () => {
  it('reads numbered headings of levels 2 to 6 and skips others and fenced code', () => {
    const markdown = [
      '# Title',
      '## §1 The idea',
      'text with ## §9 not at the start',
      '### §1.2 A finer point ##',
      '```md',
      '## §7 inside a code block',
      '```',
      '## Unnumbered',
      '#### §10.1.3 Deep',
    ].join('\n');
    const { headings, duplicates } = parseTheoryHeadings(markdown);
    expect(headings).toEqual([
      { section: '1', title: 'The idea', line: 2 },
      { section: '1.2', title: 'A finer point', line: 4 },
      { section: '10.1.3', title: 'Deep', line: 9 },
    ]);
    expect(duplicates).toEqual([]);
  });

  it('reports a section number that heads two sections, with both lines', () => {
    const { duplicates } = parseTheoryHeadings('## §2 One\n\n### §2.1 A\n\n### §2.1 B\n');
    expect(duplicates).toEqual([{ section: '2.1', lines: [3, 5] }]);
  });

  it('reports headings numbered out of order and subsections without their parent before them', () => {
    const { misplaced, duplicates } = parseTheoryHeadings('## §2 A\n### §2.2 B\n### §2.1 C\n### §3.1 D\n## §3 E\n### §3.10 F\n### §3.9 G\n');
    expect(misplaced).toEqual([
      { section: '2.1', line: 3, problem: 'comes after §2.2: numbers must increase' },
      { section: '3.1', line: 4, problem: 'has no heading of its parent §3 before it' },
      { section: '3', line: 5, problem: 'comes after §3.1: numbers must increase' },
      { section: '3.9', line: 7, problem: 'comes after §3.10: numbers must increase' },
    ]);
    expect(duplicates).toEqual([]);
  });
});
