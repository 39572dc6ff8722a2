import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** A package.json as far as the conventions read and write it (other keys are kept as they are). */
export interface PackageManifest {
  name: string;
  version: string;
  private?: boolean;
  license?: string;
  repository?: { type: string; url: string; directory?: string };
  engines?: Record<string, string>;
  workspaces?: string[];
  exports?: Record<string, unknown>;
  files?: string[];
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  [key: string]: unknown;
}

/** One workspace package: where it is, what it says, and which role the conventions give it. */
export interface WorkspacePackage {
  /** Folder relative to the workspace root, with forward slashes (`packages/core`). */
  readonly dir: string;
  readonly manifest: PackageManifest;
  /** packages/, plugins/ and apps/ publish to the registry; tools/ stay private to the workspace. */
  readonly publishable: boolean;
  /** plugins/ take @kolmo/core and zod as peers: one core per process, whatever plugins are installed. */
  readonly plugin: boolean;
}

const publishableRoots = ['packages', 'plugins', 'apps'];

export function readManifest(file: string): PackageManifest {
  return JSON.parse(readFileSync(file, 'utf8')) as PackageManifest;
}

/** Every package the root's `workspaces` globs name (only the `folder/*` form is used here). */
export function listWorkspacePackages(root: string): WorkspacePackage[] {
  const rootManifest = readManifest(join(root, 'package.json'));
  const packages: WorkspacePackage[] = [];
  for (const pattern of rootManifest.workspaces ?? []) {
    if (!pattern.endsWith('/*')) throw new Error(`workspace pattern ${pattern}: only "folder/*" patterns are supported`);
    const parent = pattern.slice(0, -2);
    if (!existsSync(join(root, parent))) continue;
    for (const entry of readdirSync(join(root, parent), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const manifestFile = join(root, parent, entry.name, 'package.json');
      if (!entry.isDirectory() || !existsSync(manifestFile)) continue;
      const dir = relative(root, join(root, parent, entry.name)).split('\\').join('/');
      packages.push({
        dir,
        manifest: readManifest(manifestFile),
        publishable: publishableRoots.includes(parent),
        plugin: parent === 'plugins',
      });
    }
  }
  return packages;
}
