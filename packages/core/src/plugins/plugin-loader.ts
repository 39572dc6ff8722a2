import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Container, type ContainerModule } from 'inversify';
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
    const entry = resolvePlugin(source);
    if (seen.has(entry)) continue; // the same module named twice (e.g. built-in and in the spec) loads once
    seen.add(entry);
    const module = await importPlugin(source.name, entry);
    try {
      await container.loadAsync(module);
    } catch (error) {
      throw new KolmoError('plugin', `plugin ${source.name} failed while registering: ${messageOf(error)}`, { cause: error });
    }
    const descriptors = container.isBound(StageContribution) ? container.getAll<StageDescriptor>(StageContribution) : [];
    for (const descriptor of descriptors.slice(known)) registry.add(descriptor, source.name);
    known = descriptors.length;
    registry.plugins.push({ name: source.name, entry, version: versionOf(entry) });
  }
  return registry;
}

function resolvePlugin({ name, baseDir }: PluginSource): string {
  const local = name.startsWith('.') || isAbsolute(name);
  if (local) {
    const path = resolve(baseDir, name);
    if (!existsSync(path)) throw new KolmoError('plugin', `plugin ${name} not found: ${path} does not exist`);
    return statSync(path).isDirectory() ? entryOfFolder(name, path) : path;
  }
  for (const from of [join(baseDir, 'package.json'), import.meta.filename]) {
    try {
      return createRequire(from).resolve(name);
    } catch {
      // try the next place, then report below
    }
  }
  const folder = findPackageFolder(name, baseDir);
  if (folder) return entryOfFolder(name, folder);
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
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { exports?: unknown; main?: string };
    const exported = exportTarget(manifest.exports) ?? manifest.main;
    if (exported) return resolve(folder, exported);
  }
  for (const file of ['index.ts', 'index.js', 'index.mjs', 'src/index.ts']) {
    if (existsSync(join(folder, file))) return join(folder, file);
  }
  throw new KolmoError('plugin', `plugin ${name} has no entry point: ${folder} has no package.json exports/main and no index file`);
}

function exportTarget(exports: unknown): string | undefined {
  if (typeof exports === 'string') return exports;
  if (exports && typeof exports === 'object') {
    const root = (exports as Record<string, unknown>)['.'] ?? exports;
    if (typeof root === 'string') return root;
    if (root && typeof root === 'object') {
      const conditions = root as Record<string, unknown>;
      for (const key of ['import', 'default', 'node']) if (typeof conditions[key] === 'string') return conditions[key] as string;
    }
  }
  return undefined;
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

/** The version in the nearest package.json above a plugin's entry file, for the run manifest. */
function versionOf(entry: string): string | undefined {
  for (let dir = dirname(entry); dirname(dir) !== dir; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) return (JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string }).version;
  }
  return undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
