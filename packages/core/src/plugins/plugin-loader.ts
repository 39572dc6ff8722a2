import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Container, type ContainerModule } from 'inversify';
import { satisfies, validRange } from 'semver';
import { KolmoError } from '../errors.ts';
import { StageContribution } from './contribution-point.ts';
import type { StageDescriptor } from './stage-descriptor.ts';
import { StageRegistry } from './stage-registry.ts';

/** Where plugin names resolve from: local paths against the spec's folder, package names from there first. */
export interface PluginSource {
  readonly name: string;
  readonly baseDir: string;
}

/**
 * Loads plugins in order into one Inversify container and collects their stage descriptors. A plugin is a
 * package or local path whose default export is a ContainerModule binding descriptors to StageContribution.
 */
export async function loadPlugins(sources: readonly PluginSource[]): Promise<StageRegistry> {
  const container = new Container();
  const registry = new StageRegistry();
  let known = 0;
  const seen = new Set<string>();
  for (const source of sources) {
    const { entry: linked, manifest } = resolvePlugin(source);
    const entry = realpathSync(linked); // one module, however it was reached (workspace links, local paths)
    if (seen.has(entry)) continue; // the same module named twice (e.g. built-in and in the spec) loads once
    seen.add(entry);
    checkCoreRange(source.name, manifest);
    const module = await importPlugin(source.name, entry);
    try {
      await container.loadAsync(module);
    } catch (error) {
      throw new KolmoError('plugin', `plugin ${source.name} failed while registering: ${messageOf(error)}`, { cause: error });
    }
    const descriptors = container.isBound(StageContribution) ? container.getAll<StageDescriptor>(StageContribution) : [];
    for (const descriptor of descriptors.slice(known)) registry.add(descriptor, source.name);
    known = descriptors.length;
    registry.plugins.push({ name: source.name, entry, packageName: manifest?.name, version: manifest?.version });
  }
  return registry;
}

/** A plugin's resolved entry file and, when it has one, the package.json that describes it. */
interface ResolvedPlugin {
  readonly entry: string;
  readonly manifest?: PluginManifest;
}

interface PluginManifest {
  readonly file: string;
  readonly name?: string;
  readonly version?: string;
  readonly exports?: unknown;
  readonly main?: string;
  readonly peerDependencies?: Record<string, string>;
  readonly dependencies?: Record<string, string>;
}

/**
 * Running from TypeScript sources (inside the kolmo workspace) the loader takes workspace plugins from their
 * sources too (the `@kolmo/source` export condition); running from a build it takes builds, like Node would.
 */
const exportConditions = import.meta.url.endsWith('.ts') ? ['@kolmo/source', 'import', 'node', 'default'] : ['import', 'node', 'default'];

function resolvePlugin({ name, baseDir }: PluginSource): ResolvedPlugin {
  const local = name.startsWith('.') || isAbsolute(name);
  if (local) {
    const path = resolve(baseDir, name);
    if (!existsSync(path)) throw new KolmoError('plugin', `plugin ${name} not found: ${path} does not exist`);
    const entry = statSync(path).isDirectory() ? entryOfFolder(name, path) : path;
    return { entry, manifest: nearestManifest(dirname(entry)) };
  }
  // Node's package lookup: node_modules folders from the spec's folder upwards, then from kolmo's own place.
  const folder = findPackageFolder(name, baseDir) ?? findPackageFolder(name, import.meta.dirname);
  if (folder) return { entry: entryOfFolder(name, folder), manifest: readManifest(join(folder, 'package.json')) };
  for (const from of [join(baseDir, 'package.json'), import.meta.filename]) {
    try {
      const entry = createRequire(from).resolve(name); // a self-reference or NODE_PATH: what require finds
      return { entry, manifest: nearestManifest(dirname(entry)) };
    } catch {
      // try the next place, then report below
    }
  }
  throw new KolmoError('plugin', `plugin ${name} not found: no such package from ${baseDir} (is it installed?)`);
}

function findPackageFolder(name: string, from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

function entryOfFolder(name: string, folder: string): string {
  const manifestPath = join(folder, 'package.json');
  if (existsSync(manifestPath)) {
    const manifest = readManifest(manifestPath);
    const exported = exportTarget(manifest.exports) ?? manifest.main;
    if (exported) return resolve(folder, exported);
  }
  for (const file of ['index.ts', 'index.js', 'index.mjs', 'src/index.ts']) {
    if (existsSync(join(folder, file))) return join(folder, file);
  }
  throw new KolmoError('plugin', `plugin ${name} has no entry point: ${folder} has no package.json exports/main and no index file`);
}

/** The `"."` export, with conditions matched in the package's own key order (Node's rule). */
function exportTarget(exports: unknown): string | undefined {
  if (exports && typeof exports === 'object' && !Array.isArray(exports) && '.' in exports) return conditionalTarget((exports as Record<string, unknown>)['.']);
  return conditionalTarget(exports);
}

function conditionalTarget(target: unknown): string | undefined {
  if (typeof target === 'string') return target;
  if (Array.isArray(target)) return target.map(conditionalTarget).find((found) => found !== undefined);
  if (target && typeof target === 'object') {
    for (const [condition, value] of Object.entries(target)) {
      if (!exportConditions.includes(condition)) continue;
      const found = conditionalTarget(value);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

function readManifest(file: string): PluginManifest {
  return { ...(JSON.parse(readFileSync(file, 'utf8')) as Omit<PluginManifest, 'file'>), file };
}

/** The package.json above a plugin's entry file: its name, version and the core range it was built for. */
function nearestManifest(from: string): PluginManifest | undefined {
  for (let dir = from; dirname(dir) !== dir; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) return readManifest(file);
  }
  return undefined;
}

/** The version of the @kolmo/core that is running (its package.json is two folders above this file, in src/ and dist/). */
export const coreVersion = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/**
 * A plugin built for another core would bind contracts this core does not have: its declared `@kolmo/core`
 * range (peerDependencies, else dependencies) must include the running version (semver, pre-releases allowed).
 */
export function checkCoreRange(plugin: string, manifest: PluginManifest | undefined, running = coreVersion): void {
  const range = manifest?.peerDependencies?.['@kolmo/core'] ?? manifest?.dependencies?.['@kolmo/core'];
  if (range === undefined || /^(workspace:|file:|link:)/.test(range)) return;
  const label = manifest?.name && manifest.name !== plugin ? `${plugin} (${manifest.name}@${manifest.version})` : `${plugin}@${manifest?.version}`;
  if (!validRange(range)) {
    throw new KolmoError('plugin', `plugin ${label} declares an invalid @kolmo/core range "${range}" in ${manifest?.file}`);
  }
  if (!satisfies(running, range, { includePrerelease: true })) {
    throw new KolmoError(
      'plugin',
      `plugin ${label} requires @kolmo/core ${range}, but the running @kolmo/core is ${running}: install a version of the plugin built for core ${running}, or a core in ${range}`,
    );
  }
}

async function importPlugin(name: string, entry: string): Promise<ContainerModule> {
  let exports: Record<string, unknown>;
  try {
    exports = (await import(pathToFileURL(entry).href)) as Record<string, unknown>;
  } catch (error) {
    throw new KolmoError('plugin', `plugin ${name} failed to load from ${entry}: ${messageOf(error)}`, { cause: error });
  }
  const module = exports.default;
  if (!isContainerModule(module)) {
    throw new KolmoError('plugin', `plugin ${name} (${entry}) has no default export of an Inversify ContainerModule`);
  }
  return module;
}

// Duck-typed: a plugin may bring its own copy of inversify, so `instanceof` would wrongly fail.
function isContainerModule(value: unknown): value is ContainerModule {
  return typeof value === 'object' && value !== null && typeof (value as ContainerModule).load === 'function' && 'id' in value;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
