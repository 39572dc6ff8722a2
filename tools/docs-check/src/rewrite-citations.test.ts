import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkCitations } from './check-citations.ts';
import { rewriteCitations } from './rewrite-citations.ts';

const cite = (prefix: string, section: string) => `${prefix} §${section}`;

describe('rewriteCitations', () => {
  const root = mkdtempSync(join(tmpdir(), 'kolmo-rewrite-citations-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const write = (file: string, text: string) => {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), text);
  };
  const read = (file: string) => readFileSync(join(root, file), 'utf8');
  const theory = `## §2 Model\n\nThe old name: ${cite('SPEC', '2')} stays here.\n`;
  write('docs/theory.md', theory);
  write('README.md', `See ${cite('SPEC', '2')}.\n`);
  write('packages/a/src/model.ts', `/** ${cite('SPEC', '2')}, §2; SPEC.md; SPEC §n */\nthrow new Error('bad (${cite('SPEC', '2')})');\n`);
  write('packages/a/node_modules/x/index.ts', `// ${cite('SPEC', '2')}\n`);
  write('examples/model.yaml', `# The model (${cite('SPEC', '2')})\nseed: 1\n`);

  it('reports what it would change on a dry run and changes nothing', () => {
    expect(rewriteCitations(root, { dryRun: true }).changed).toEqual([
      { file: 'packages/a/src/model.ts', citations: 2 },
      { file: 'README.md', citations: 1 },
      { file: 'examples/model.yaml', citations: 1 },
    ]);
    expect(read('packages/a/src/model.ts')).toContain(cite('SPEC', '2'));
  });

  it('rewrites SPEC citations into theory citations, in comments, strings, Markdown and example specs, and nothing else', () => {
    rewriteCitations(root);
    expect(read('packages/a/src/model.ts')).toBe(`/** ${cite('theory', '2')}, §2; SPEC.md; SPEC §n */\nthrow new Error('bad (${cite('theory', '2')})');\n`);
    expect(read('README.md')).toBe(`See ${cite('theory', '2')}.\n`);
    expect(read('examples/model.yaml')).toBe(`# The model (${cite('theory', '2')})\nseed: 1\n`);
    expect(read('docs/theory.md')).toBe(theory);
    expect(read('packages/a/node_modules/x/index.ts')).toBe(`// ${cite('SPEC', '2')}\n`);
    expect(readdirSync(join(root, 'packages/a/src'))).toEqual(['model.ts']);
    // The citations still resolve under their new name, and a second run finds nothing left to do.
    const report = checkCitations(root);
    expect(report.problems).toEqual([]);
    expect(report.citations.map(({ file, prefix, section }) => `${file}: ${prefix} ${section}`)).toEqual([
      'packages/a/src/model.ts: theory 2',
      'packages/a/src/model.ts: theory 2',
      'packages/a/src/model.ts: theory 2',
      'README.md: theory 2',
      'examples/model.yaml: theory 2',
    ]);
    expect(rewriteCitations(root).changed).toEqual([]);
  });
});
