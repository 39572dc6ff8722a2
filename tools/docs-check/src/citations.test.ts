import { describe, expect, it } from 'vitest';
import { findCitations } from './citations.ts';

/** Builds a citation at run time, so that this file's own text cites no section the real check would look up. */
const cite = (prefix: string, section: string) => `${prefix} §${section}`;

describe('findCitations', () => {
  it('finds theory and SPEC citations with their line and column', () => {
    const text = ['// first line', ` * the law (${cite('theory', '4.2')}) and`, `describe('x (${cite('SPEC', '12')})')`].join('\n');
    expect(findCitations(text)).toEqual([
      { section: '4.2', prefix: 'theory', line: 2, column: 20 },
      { section: '12', prefix: 'SPEC', line: 3, column: 19 },
    ]);
  });

  it('finds every section of a list or a range after the prefix', () => {
    const sections = (text: string) => findCitations(text).map(({ section }) => section);
    expect(sections(`(${cite('SPEC', '3')}, §6)`)).toEqual(['3', '6']);
    expect(sections(`(${cite('theory', '4')} and §7.1)`)).toEqual(['4', '7.1']);
    expect(sections(`(${cite('SPEC', '4')}–§6)`)).toEqual(['4', '6']);
    expect(sections(`${cite('SPEC', '5')} (b) and §5 (c)`)).toEqual(['5']);
    const listed = findCitations(`x\n(${cite('SPEC', '3')}, §11)`);
    expect(listed[1]).toEqual({ section: '11', prefix: 'SPEC', line: 2, column: 11 });
  });

  it('ignores bare sections, other documents and prefixes without a number', () => {
    expect(findCitations('CSN §4.1: synthetic data; within §8; the theory §n; SPEC.md; SPECS §2; mytheory §3')).toEqual([]);
  });
});
