import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

/** The folders of the workspace whose sources cite the theory. */
export const sourceRoots = ['packages', 'plugins', 'apps', 'tools'] as const;

const skippedFolders = new Set(['node_modules', 'dist', 'coverage']);

/**
 * Every file under `roots` (relative to `root`) whose name ends with one of `extensions`, as sorted paths relative
 * to `root` with `/` separators; installed and built folders (node_modules, dist, coverage) and hidden ones are skipped.
 */
export function listSourceFiles(root: string, extensions: readonly string[] = ['.ts'], roots: readonly string[] = sourceRoots): string[] {
  const files: string[] = [];
  const walk = (folder: string) => {
    let entries;
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        if (!skippedFolders.has(entry.name)) walk(path);
      } else if (entry.isFile() && extensions.some((extension) => entry.name.endsWith(extension))) {
        files.push(relative(root, path).split('\\').join('/'));
      }
    }
  };
  for (const folder of roots) walk(join(root, folder));
  return files.sort();
}
