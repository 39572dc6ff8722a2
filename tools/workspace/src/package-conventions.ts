import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import type { PackageManifest, WorkspacePackage } from './workspace-packages.ts';

/**
 * The custom export condition that points at TypeScript sources. The workspace turns it on (tsconfig
 * `customConditions`, vitest `resolve.conditions`, the CLI's bin), so development needs no build; a consumer of the
 * published packages never sets it and gets the compiled JavaScript.
 */
export const sourceCondition = '@kolmo/source';

/** Public entry points by convention: `src/<entry>/index.ts` (or `src/index.ts`) becomes the export `<subpath>`. */
export const entryConventions: readonly { readonly subpath: string; readonly source: string }[] = [
  { subpath: '.', source: 'index' },
  { subpath: './testing', source: 'testing/index' },
  { subpath: './internal', source: 'internal/index' },
];

/**
 * Vitest resolves workspace packages itself (they are linked, not installed), so it needs the condition too:
 * Vite's default server conditions with the source condition first.
 */
export const vitestResolve = `ssr: { resolve: { conditions: ['${sourceCondition}', 'module', 'node', 'development|production'] } }`;

/** A vitest config with the source condition: inserted as the first option of `defineProject({ … })`. */
export function withSourceCondition(config: string): string {
  if (config.includes(`'${sourceCondition}'`)) return config;
  const opening = 'defineProject({';
  if (!config.includes(opening)) throw new Error(`vitest config without ${opening}: add "${vitestResolve}" by hand`);
  return config.replace(opening, `${opening}\n  ${vitestResolve},\n `);
}

/** The workspace package whose tests install every publishable package from tarballs (this one). */
export const consumerCheckDir = 'tools/workspace';

/** What the build writes next to the sources; the test patterns stay out of both the build and the tarball. */
export const buildDir = 'dist';
const testPatterns = ['src/**/*.test.ts', 'src/**/*.fixture.ts'];

/** The desired state of one package: its package.json and (when it builds) its tsconfig.lib.json. */
export interface PackageFiles {
  readonly manifest: PackageManifest;
  readonly buildConfig?: Record<string, unknown>;
  readonly vitestConfig?: string;
}

/**
 * Computes a package's package.json and tsconfig.lib.json from the conventions. Pure apart from reading the
 * package's src folder (entries, assets, test-support files), so `--check` and the writer agree by construction.
 */
export function conventionalFiles(root: string, pkg: WorkspacePackage, all: readonly WorkspacePackage[]): PackageFiles {
  const rootManifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as PackageManifest;
  const manifest: PackageManifest = { ...pkg.manifest };
  const packageDir = join(root, pkg.dir);
  const vitestFile = join(packageDir, 'vitest.config.ts');
  const vitestConfig = existsSync(vitestFile) ? withSourceCondition(readFileSync(vitestFile, 'utf8')) : undefined;
  if (!pkg.publishable) {
    manifest.private = true;
    if (pkg.dir === consumerCheckDir) {
      // The consumer test packs every publishable package: depending on all of them makes Nx build them first.
      const publishable = all.filter((other) => other.publishable).map((other) => [other.manifest.name, other.manifest.version]);
      manifest.devDependencies = sortKeys({ ...manifest.devDependencies, ...Object.fromEntries(publishable) });
    }
    return { manifest, vitestConfig };
  }
  const sources = listFiles(join(packageDir, 'src'));
  const publicTesting = existsSync(join(packageDir, 'src/testing/index.ts'));
  const testSupport = sources
    .filter((file) => isTestHelperFolder(file, publicTesting) || isTestSupport(join(packageDir, 'src', file)))
    .map((file) => `src/${file}`);
  const assets = sources.filter((file) => !file.endsWith('.ts') && !testSupport.includes(`src/${file}`));

  delete manifest.private;
  manifest.license = rootManifest.license;
  if (rootManifest.repository) manifest.repository = { ...rootManifest.repository, directory: pkg.dir };
  manifest.engines = rootManifest.engines;
  manifest.exports = exportsOf(packageDir);
  manifest.files = [
    buildDir,
    'src',
    ...(manifest.bin ? ['bin'] : []),
    ...testPatterns.map((pattern) => `!${pattern}`),
    // Test support never ships, neither its source nor what an older build may have left of it in dist.
    ...testSupport
      .filter((file) => !testPatterns.some((pattern) => matchesTestPattern(file, pattern)))
      .flatMap((file) => [`!${file}`, `!${buildDir}/${file.slice('src/'.length, -'.ts'.length)}.*`]),
    `!${buildDir}/**/*.tsbuildinfo`,
  ];
  const copyAssets = relative(packageDir, join(root, 'tools/workspace/src/copy-assets.ts')).split('\\').join('/');
  manifest.scripts = {
    ...manifest.scripts,
    build: `tsc -b tsconfig.lib.json${assets.length > 0 ? ` && tsx ${copyAssets}` : ''}`,
  };
  manifest.publishConfig = { access: 'public' };
  if (pkg.plugin) moveToPeers(manifest, all);

  const workspaceNames = new Map(all.map((other) => [other.manifest.name, other]));
  const runtimeDeps = Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies }).sort();
  const references = runtimeDeps
    .map((name) => workspaceNames.get(name))
    .filter((other): other is WorkspacePackage => other !== undefined && other.publishable)
    .map((other) => ({ path: `${relative(packageDir, join(root, other.dir)).split('\\').join('/')}/tsconfig.lib.json` }));
  const buildConfig = {
    extends: `${relative(packageDir, join(root, 'tsconfig.base.json')).split('\\').join('/')}`,
    compilerOptions: {
      composite: true,
      noEmit: false,
      declarationMap: true,
      rootDir: 'src',
      outDir: buildDir,
      tsBuildInfoFile: `${buildDir}/tsconfig.lib.tsbuildinfo`,
    },
    include: ['src/**/*.ts'],
    exclude: [...testPatterns, ...testSupport.filter((file) => !testPatterns.some((pattern) => matchesTestPattern(file, pattern)))],
    references,
  };
  return { manifest: ordered(manifest), buildConfig, vitestConfig };
}

/** `"."` and the other conventional entries that exist: sources under the source condition, the build otherwise. */
function exportsOf(packageDir: string): Record<string, unknown> {
  const exports: Record<string, unknown> = {};
  for (const { subpath, source } of entryConventions) {
    if (!existsSync(join(packageDir, 'src', `${source}.ts`))) continue;
    exports[subpath] = {
      [sourceCondition]: `./src/${source}.ts`,
      types: `./${buildDir}/${source}.d.ts`,
      import: `./${buildDir}/${source}.js`,
      default: `./${buildDir}/${source}.js`,
    };
  }
  exports['./package.json'] = './package.json';
  return exports;
}

/**
 * A plugin shares the host's core and zod (one StageContribution token, one zod for schemas), so both are peers,
 * with a caret range on the workspace version; inside the workspace they stay exact devDependencies (the link).
 */
function moveToPeers(manifest: PackageManifest, all: readonly WorkspacePackage[]): void {
  const core = all.find((other) => other.manifest.name === '@kolmo/core');
  const peers: Record<string, string> = { ...manifest.peerDependencies };
  const dependencies: Record<string, string> = { ...manifest.dependencies };
  const devDependencies: Record<string, string> = { ...manifest.devDependencies };
  for (const name of ['@kolmo/core', 'zod']) {
    const exact = dependencies[name] ?? devDependencies[name] ?? (name === '@kolmo/core' ? core?.manifest.version : undefined);
    if (!exact) continue;
    delete dependencies[name];
    devDependencies[name] = exact;
    peers[name] = `^${exact.replace(/^[\^~]/, '')}`;
  }
  manifest.dependencies = sortKeys(dependencies);
  manifest.peerDependencies = sortKeys(peers);
  manifest.devDependencies = sortKeys(devDependencies);
  for (const key of ['dependencies', 'peerDependencies', 'devDependencies'] as const) {
    if (Object.keys(manifest[key] ?? {}).length === 0) delete manifest[key];
  }
}

/** A `testing/` folder holds helpers for tests, except `src/testing/` with an index: the public `./testing` entry. */
function isTestHelperFolder(file: string, publicTesting: boolean): boolean {
  const folders = file.split('/').slice(0, -1);
  if (!folders.includes('testing')) return false;
  return !(publicTesting && folders[0] === 'testing');
}

/** A source that is not shipped: test helpers (they import vitest) and fixtures. */
function isTestSupport(file: string): boolean {
  if (!file.endsWith('.ts')) return false;
  if (file.endsWith('.test.ts') || file.endsWith('.fixture.ts')) return true;
  // TypeScript's own pre-processor lists the real imports (not look-alikes inside template strings).
  return ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles.some((imported) => imported.fileName === 'vitest');
}

function matchesTestPattern(file: string, pattern: string): boolean {
  return file.endsWith(pattern.slice(pattern.lastIndexOf('*') + 1));
}

/** Files under a folder, relative with forward slashes, sorted (so the output is the same on every machine). */
export function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) files.push(...listFiles(join(dir, entry.name)).map((file) => `${entry.name}/${file}`));
    else files.push(entry.name);
  }
  return files.sort();
}

const keyOrder = [
  'name', 'version', 'private', 'description', 'license', 'repository', 'type', 'engines', 'bin', 'exports', 'files',
  'scripts', 'nx', 'publishConfig', 'dependencies', 'peerDependencies', 'devDependencies',
];

/** Conventional key order (the order npm and most packages use), unknown keys after, in their old order. */
function ordered(manifest: PackageManifest): PackageManifest {
  const out: Record<string, unknown> = {};
  for (const key of keyOrder) if (manifest[key] !== undefined) out[key] = manifest[key];
  for (const [key, value] of Object.entries(manifest)) if (!(key in out) && value !== undefined) out[key] = value;
  return out as PackageManifest;
}

function sortKeys(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}
