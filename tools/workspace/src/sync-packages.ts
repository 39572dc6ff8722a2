import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { conventionalFiles } from './package-conventions.ts';
import { listWorkspacePackages } from './workspace-packages.ts';

/** A file whose content differs from what the conventions say. */
export interface OutOfSync {
  readonly file: string;
  readonly expected: string;
  readonly actual: string | undefined;
}

/**
 * Brings every workspace package to the conventions (package.json fields, exports, files, peers, build config
 * with project references). `write: false` only reports: the check that fails when a new package or a new
 * dependency was added without `npm run sync`.
 */
export function syncPackages(root: string, { write }: { write: boolean }): OutOfSync[] {
  const packages = listWorkspacePackages(root);
  const changes: OutOfSync[] = [];
  for (const pkg of packages) {
    const { manifest, buildConfig, vitestConfig } = conventionalFiles(root, pkg, packages);
    const wanted: [string, string][] = [[join(pkg.dir, 'package.json'), asJson(manifest)]];
    if (buildConfig) wanted.push([join(pkg.dir, 'tsconfig.lib.json'), asJson(buildConfig)]);
    if (vitestConfig) wanted.push([join(pkg.dir, 'vitest.config.ts'), vitestConfig]);
    for (const [file, expected] of wanted) {
      const path = join(root, file);
      const actual = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
      if (actual === expected) continue;
      changes.push({ file, expected, actual });
      if (write) writeFileSync(path, expected);
    }
  }
  return changes;
}

function asJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

function main(argv: readonly string[]): number {
  const check = argv.includes('--check');
  const root = resolve(import.meta.dirname, '../../..');
  const changes = syncPackages(root, { write: !check });
  if (changes.length === 0) {
    console.log('workspace packages follow the conventions');
    return 0;
  }
  for (const change of changes) console.log(`${check ? 'out of sync' : 'updated'}: ${change.file}`);
  if (check) console.error('run `npm run sync` to update them');
  return check ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.exitCode = main(process.argv.slice(2));
