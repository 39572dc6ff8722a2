import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { listSourceFiles } from './source-files.ts';

/** The theory document, relative to the workspace root. */
export const theoryDocument = 'docs/theory.md';

/**
 * The files whose citations of the theory are checked (and rewritten): the .ts sources under packages/, plugins/,
 * apps/ and tools/; with `prose` (the default) also their Markdown, README.md, docs/*.md and the example specs
 * (examples/*.yaml), which cite the theory the same way. The theory document itself is not among them.
 */
export function citingFiles(root: string, { prose = true } = {}): string[] {
  if (!prose) return listSourceFiles(root, ['.ts']);
  return [
    ...listSourceFiles(root, ['.ts', '.md']),
    ...(existsSync(join(root, 'README.md')) ? ['README.md'] : []),
    ...listSourceFiles(root, ['.md'], ['docs']).filter((file) => file !== theoryDocument),
    ...listSourceFiles(root, ['.yaml', '.yml'], ['examples']),
  ];
}
