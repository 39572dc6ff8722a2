import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { KolmoError } from '../errors.ts';
import { parseSpecText, type SpecSource } from './spec-source.ts';

/**
 * Reads a spec and every spec it `extends:`, merged into one. A base is a spec file (a path relative to the spec
 * that names it) or a spec shipped by an installed package (`@team/kolmo-presets/sk-base.yaml`, found with Node's
 * resolution from that spec's folder). Merge rules, applied base first then each extending file:
 *   - objects merge key by key (recursively),
 *   - anything else (lists, numbers, strings) replaces what the base had,
 *   - `null` deletes the key the base set.
 * `extends:` may be one base or a list (later ones override earlier ones). The result's `locate` points into the
 * file that supplied the value at a path, so an error in a base names the base file's line and column.
 */
export function readSpecFile(file: string): SpecSource {
  const composed = composeFile(resolve(file), file, []);
  const origins = composed.origins;
  return {
    file,
    value: composed.value,
    locate: (path) => {
      for (let depth = path.length; depth >= 0; depth--) {
        const origin = origins.get(pathKey(path.slice(0, depth)));
        if (origin) return origin.locate(path);
      }
      return file;
    },
  };
}

/** A spec after its bases were merged in, and for each path the file that supplied it. */
interface ComposedSpec {
  readonly value: unknown;
  /** Keyed by pathKey; the deepest recorded prefix of a path names its file. */
  readonly origins: Map<string, SpecSource>;
}

function composeFile(absolute: string, shown: string, chain: readonly string[]): ComposedSpec {
  if (chain.includes(absolute)) {
    const cycle = [...chain, absolute].map((entry) => relative(process.cwd(), entry) || entry).join(' → ');
    throw new KolmoError('invalidSpec', `spec extends itself: ${cycle}`);
  }
  const source = parseSpecText(readText(absolute, shown), shown);
  const own = source.value;
  if (!isPlainObject(own) || own.extends === undefined) return { value: own, origins: new Map([[pathKey([]), source]]) };

  const { extends: bases, ...rest } = own;
  const baseNames = typeof bases === 'string' ? [bases] : bases;
  if (!Array.isArray(baseNames) || baseNames.some((name) => typeof name !== 'string' || name === '')) {
    throw new KolmoError('invalidSpec', `extends (${source.locate(['extends'])}): expected a spec file or package path, or a list of them`);
  }
  let composed: ComposedSpec = { value: {}, origins: new Map() };
  baseNames.forEach((name: string, index) => {
    const where = source.locate(typeof bases === 'string' ? ['extends'] : ['extends', index]);
    const baseFile = resolveBase(name, dirname(absolute), where);
    composed = layer(composed, composeFile(baseFile, relative(process.cwd(), baseFile) || baseFile, [...chain, absolute]));
  });
  return layer(composed, { value: rest, origins: new Map([[pathKey([]), source]]) });
}

/** Merges `over` onto `under`, recording which file each path of the result came from. */
function layer(under: ComposedSpec, over: ComposedSpec): ComposedSpec {
  const origins = new Map(under.origins);
  const value = merge(under.value, over.value, [], origins, { under: under.origins, over: over.origins });
  return { value, origins };
}

function merge(
  under: unknown,
  over: unknown,
  path: readonly PropertyKey[],
  origins: Map<string, SpecSource>,
  layers: { readonly under: ReadonlyMap<string, SpecSource>; readonly over: ReadonlyMap<string, SpecSource> },
): unknown {
  const origin = lookup(layers.over, path);
  if (!isPlainObject(over) || !isPlainObject(under)) {
    // The whole subtree now comes from `over`: its origins replace the old ones below this path.
    forget(origins, path);
    if (origin) origins.set(pathKey(path), origin);
    for (const [key, source] of layers.over) if (isBelow(key, path)) origins.set(key, source);
    return withoutNulls(over);
  }
  const result: Record<string, unknown> = { ...under };
  // Keys only the base has keep their base file, even though this object now also has keys from `over`.
  for (const key of Object.keys(under)) {
    if (!(key in over) && !origins.has(pathKey([...path, key]))) {
      const inherited = lookup(layers.under, [...path, key]);
      if (inherited) origins.set(pathKey([...path, key]), inherited);
    }
  }
  if (origin) origins.set(pathKey(path), origin);
  for (const [key, value] of Object.entries(over)) {
    if (value === null) {
      delete result[key];
      forget(origins, [...path, key]);
    } else {
      result[key] = merge(under[key], value, [...path, key], origins, layers);
    }
  }
  return result;
}

/** `null` means "delete": in a subtree with nothing below it to delete, the key is simply absent. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (!isPlainObject(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, withoutNulls(v)]));
}

function lookup(origins: ReadonlyMap<string, SpecSource>, path: readonly PropertyKey[]): SpecSource | undefined {
  for (let depth = path.length; depth >= 0; depth--) {
    const origin = origins.get(pathKey(path.slice(0, depth)));
    if (origin) return origin;
  }
  return undefined;
}

function forget(origins: Map<string, SpecSource>, path: readonly PropertyKey[]): void {
  const prefix = pathKey(path);
  for (const key of [...origins.keys()]) if (key === prefix || isBelow(key, path)) origins.delete(key);
}

/** Whether a recorded path key lies strictly inside `path`. */
function isBelow(key: string, path: readonly PropertyKey[]): boolean {
  const prefix = pathKey(path);
  return path.length === 0 ? key !== prefix : key.startsWith(`${prefix.slice(0, -1)},`);
}

function pathKey(path: readonly PropertyKey[]): string {
  return JSON.stringify(path.map((key) => (typeof key === 'number' ? key : String(key))));
}

/**
 * A relative or absolute path is a file next to the spec that names it; anything else is a package path,
 * resolved like an import from that spec's folder (the package's `exports` must allow it, or it has none).
 */
function resolveBase(name: string, fromDir: string, where: string): string {
  if (name.startsWith('.') || isAbsolute(name)) {
    const file = resolve(fromDir, name);
    if (!existsSync(file)) throw new KolmoError('invalidSpec', `extends (${where}): base spec ${name} not found: ${file} does not exist`);
    return file;
  }
  try {
    return createRequire(join(fromDir, 'package.json')).resolve(name);
  } catch (error) {
    throw new KolmoError(
      'invalidSpec',
      `extends (${where}): base spec ${name} not found from ${fromDir}: ${(error as NodeJS.ErrnoException).code ?? error} (is the package installed, and does it export that file?)`,
      { cause: error },
    );
  }
}

function readText(file: string, shown: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new KolmoError('input', `cannot read spec ${shown}: ${(error as NodeJS.ErrnoException).code ?? error}`, { cause: error });
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
