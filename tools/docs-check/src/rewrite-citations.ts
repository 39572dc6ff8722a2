import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { checkCitations, citedSections } from './check-citations.ts';
import { citingFiles, theoryDocument } from './citing-files.ts';

/** `SPEC §` followed by a section number: the old name of docs/theory.md in a citation. */
const oldCitation = /\bSPEC([ \t]+)§(?=\d)/g;

export interface RewriteResult {
  /** Files changed, relative to the root, with the number of citations rewritten in each. */
  readonly changed: readonly { file: string; citations: number }[];
}

/**
 * Rewrites every `SPEC §n` citation into `theory §n` (the section numbers of docs/theory.md keep SPEC's), in the
 * files `citingFiles` lists: the TypeScript sources (comments, and strings such as descriptions and error
 * messages) and, with `prose`, the Markdown, README.md, docs/ (docs/theory.md itself excepted) and the example
 * specs. Each file is written to a temporary name and renamed over the original, so an interrupted run leaves no
 * half-written file.
 */
export function rewriteCitations(root: string, { prose = true, dryRun = false } = {}): RewriteResult {
  const files = citingFiles(root, { prose });
  const changed: { file: string; citations: number }[] = [];
  for (const file of files) {
    const path = join(root, file);
    const text = readFileSync(path, 'utf8');
    let citations = 0;
    const rewritten = text.replace(oldCitation, (_match, space: string) => {
      citations++;
      return `theory${space}§`;
    });
    if (citations === 0) continue;
    changed.push({ file, citations });
    if (dryRun) continue;
    const temporary = `${path}.rewrite-citations.tmp`;
    writeFileSync(temporary, rewritten);
    renameSync(temporary, path);
  }
  return { changed };
}

const usage = `usage: tsx tools/docs-check/src/rewrite-citations.ts [root] [--dry-run] [--only-ts]

Rewrites "SPEC §n" citations into "theory §n" in the .ts sources under packages/, plugins/, apps/, tools/
(and, unless --only-ts, in their .md files, README.md, docs/*.md and examples/*.yaml), then lists every
cited section of docs/theory.md with its count and the files citing it, and any citation that resolves to
no heading (exit status 1 then).
root defaults to the workspace this script lives in; --dry-run only reports what it would change.`;

function main(args: readonly string[]): number {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(usage);
    return 0;
  }
  const unknown = args.filter((arg) => arg.startsWith('-') && arg !== '--dry-run' && arg !== '--only-ts');
  const positional = args.filter((arg) => !arg.startsWith('-'));
  if (unknown.length > 0 || positional.length > 1) {
    console.error(`rewrite-citations: unexpected ${[...unknown, ...positional.slice(1)].join(' ')}\n\n${usage}`);
    return 2;
  }
  const root = resolve(positional[0] ?? join(import.meta.dirname, '../../..'));
  const dryRun = args.includes('--dry-run');
  const { changed } = rewriteCitations(root, { prose: !args.includes('--only-ts'), dryRun });
  const total = changed.reduce((sum, { citations }) => sum + citations, 0);
  console.log(`${dryRun ? 'would rewrite' : 'rewrote'} ${total} citations in ${changed.length} files`);
  for (const { file, citations } of changed) console.log(`  ${file}: ${citations}`);
  // After a dry run the sources still say SPEC; the check reads both names, so the list is the same.
  const report = checkCitations(root);
  console.log(`\ncited sections of ${theoryDocument} (section: citations, files):`);
  for (const { section, count, files } of citedSections(report.citations)) {
    console.log(`  §${section}: ${count} in ${files.length} files: ${files.join(', ')}`);
  }
  if (report.problems.length > 0) {
    console.error(`\n${report.problems.length} problems:\n${report.problems.map((problem) => `  ${problem}`).join('\n')}`);
    return 1;
  }
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exitCode = main(process.argv.slice(2));
