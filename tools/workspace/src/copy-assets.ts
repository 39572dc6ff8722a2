import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { listFiles } from './package-conventions.ts';

/**
 * tsc emits only JavaScript and declarations; the files code loads at run time next to itself
 * (`new URL('./lists/x.txt', import.meta.url)`: word lists, the byte-cm .wasm, JSON) are copied from src to dist at
 * the same relative path, so they are found from the build exactly as from the sources. Run in a package folder.
 */
export function copyAssets(packageDir: string): string[] {
  const assets = listFiles(join(packageDir, 'src')).filter((file) => !file.endsWith('.ts'));
  for (const file of assets) {
    const target = join(packageDir, 'dist', file);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(join(packageDir, 'src', file), target);
  }
  return assets;
}

if (process.argv[1] === import.meta.filename) copyAssets(process.cwd());
