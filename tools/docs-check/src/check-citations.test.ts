import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkCitations, citedSections } from './check-citations.ts';

const workspaceRoot = resolve(import.meta.dirname, '../../..');
const cite = (prefix: string, section: string) => `${prefix} §${section}`;

describe('the workspace', () => {
  it('cites only sections that head a section of docs/theory.md, each number heading one section', () => {
    const report = checkCitations(workspaceRoot);
    expect(report.problems).toEqual([]);
    // Not vacuous: the sources cite the theory, and the document keeps SPEC's ten top-level sections.
    expect(report.citations.length).toBeGreaterThan(100);
    const sections = new Set(report.outline.headings.map(({ section }) => section));
    for (let n = 1; n <= 10; n++) expect(sections, `§${n}`).toContain(String(n));
  });
});

describe('checkCitations on a fixture workspace', () => {
  const root = mkdtempSync(join(tmpdir(), 'kolmo-docs-check-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const write = (file: string, text: string) => {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), text);
  };
  write('docs/theory.md', ['# Theory', '## §1 Idea', '## §2 Model', '### §2.1 Knowledge', '## §3 Predictors', '### §2.1 Again'].join('\n'));
  write('packages/a/src/model.ts', `/** The model (${cite('SPEC', '2')}), its knowledge (${cite('theory', '2.1')}). */\n`);
  write('packages/a/src/missing.ts', `// fine: ${cite('theory', '1')}\n// missing: ${cite('theory', '2.7')}\n`);
  write('plugins/b/src/list.ts', `const x = 1; // ${cite('SPEC', '3')}, §11\n`);
  write('apps/c/README.md', `Markdown is checked too: ${cite('theory', '42')}\n`);
  write('README.md', `and the top README: ${cite('SPEC', '1')}\n`);
  write('docs/guide.md', `\n\nand docs: ${cite('theory', '2')}, §12\n`);
  write('examples/run.yaml', `# and example specs (${cite('theory', '3')})\nseed: 1\n`);
  write('tools/d/node_modules/e/index.ts', `// ${cite('theory', '43')} installed code is skipped\n`);
  write('packages/a/dist/model.ts', `// ${cite('theory', '44')} built code is skipped\n`);
  write('other/f.ts', `// ${cite('theory', '45')} outside the source folders\n`);

  it('names file:line of every cited section without a heading (sources, Markdown, example specs), and every duplicated or misplaced heading number', () => {
    const { problems, citations } = checkCitations(root);
    expect(problems).toEqual([
      'docs/theory.md:6: §2.1 heads more than one section (lines 4, 6)',
      'docs/theory.md:6: §2.1 comes after §3: numbers must increase',
      `apps/c/README.md:1: cites ${cite('theory', '42')}, which has no heading in docs/theory.md`,
      `packages/a/src/missing.ts:2: cites ${cite('theory', '2.7')}, which has no heading in docs/theory.md`,
      `plugins/b/src/list.ts:1: cites ${cite('SPEC', '11')}, which has no heading in docs/theory.md`,
      `docs/guide.md:3: cites ${cite('theory', '12')}, which has no heading in docs/theory.md`,
    ]);
    expect(citations.map(({ file, section }) => `${file} ${section}`)).toEqual([
      'apps/c/README.md 42',
      'packages/a/src/missing.ts 1',
      'packages/a/src/missing.ts 2.7',
      'packages/a/src/model.ts 2',
      'packages/a/src/model.ts 2.1',
      'plugins/b/src/list.ts 3',
      'plugins/b/src/list.ts 11',
      'README.md 1',
      'docs/guide.md 2',
      'docs/guide.md 12',
      'examples/run.yaml 3',
    ]);
  });

  it('lists cited sections in document order with counts and files', () => {
    expect(citedSections(checkCitations(root).citations)).toEqual([
      { section: '1', count: 2, files: ['README.md', 'packages/a/src/missing.ts'] },
      { section: '2', count: 2, files: ['docs/guide.md', 'packages/a/src/model.ts'] },
      { section: '2.1', count: 1, files: ['packages/a/src/model.ts'] },
      { section: '2.7', count: 1, files: ['packages/a/src/missing.ts'] },
      { section: '3', count: 2, files: ['examples/run.yaml', 'plugins/b/src/list.ts'] },
      { section: '11', count: 1, files: ['plugins/b/src/list.ts'] },
      { section: '12', count: 1, files: ['docs/guide.md'] },
      { section: '42', count: 1, files: ['apps/c/README.md'] },
    ]);
  });
});
