import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmdirSync, rmSync, unlinkSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { KolmoError } from '../errors.ts';
import { lockRunFolder } from './run-folder-lock.ts';
import type { RunResult } from './run-pipeline.ts';
import { removeStalePartials } from './stale-partials.ts';

/** Written last by a run that finished: without it (or with digests that no longer match) a folder is not whole. */
export const completionMarkerName = 'run-complete.json';

/** Files of the output folder derived from all runs: stale as soon as any run is redone. */
const derivedFiles = [completionMarkerName, 'metrics-table.json', 'fits.json', 'report.html'];

/** What makes a run's results what they are: a manifest whose identity differs belongs to another spec. */
export interface RunIdentity {
  readonly seed: number;
  readonly point: Readonly<Record<string, unknown>>;
  readonly resolved: unknown;
}

export interface PlannedRun {
  readonly label: string;
  readonly runDir: string;
  readonly identity: RunIdentity;
}

interface Manifest {
  readonly seed: number;
  readonly spec?: { name?: string; point?: Record<string, unknown> };
  readonly resolved: unknown;
  readonly seconds?: RunResult['seconds'];
  readonly outputs?: readonly { path: string; sha256: string }[];
}

export interface RunFolderOptions {
  /** Replace the results of another spec found in the folder (refused without it). */
  readonly force?: boolean;
  /** Keep the runs whose manifest matches the resolved spec and whose outputs exist; run only the rest. */
  readonly resume?: boolean;
}

export interface PreparedRunFolder {
  /** Results of runs kept by `--resume`, by index into the planned runs. */
  readonly kept: ReadonlyMap<number, RunResult>;
  /** What was cleaned up, for the log. */
  readonly notes: readonly string[];
  release(): void;
}

/**
 * The run-folder protocol, before any run writes: take the folder's lock, delete stale partial files, refuse a
 * folder holding another spec's results unless forced, and remove what is about to be redone (the completion
 * marker and the tables first, then each rerun point's old manifest and outputs), so that an interrupted run
 * never leaves old and new results looking like one whole.
 */
export function prepareRunFolder(outDir: string, planned: readonly PlannedRun[], options: RunFolderOptions = {}): PreparedRunFolder {
  const release = lockRunFolder(outDir);
  try {
    const notes: string[] = [];
    const stale = removeStalePartials(outDir);
    if (stale.length) notes.push(`removed ${stale.length} partial file(s) left by runs that no longer exist`);

    const existing = existingManifests(outDir);
    const plannedByDir = new Map(planned.map((run, index) => [resolve(run.runDir), { run, index }]));
    const foreign = existing.filter(({ dir, manifest }) => {
      const mine = plannedByDir.get(dir);
      if (!mine) return true;
      return !options.resume && !sameIdentity(mine.run.identity, manifest);
    });
    if (foreign.length && !options.force) {
      const shown = foreign.slice(0, 3).map(({ dir, manifest }) => `${relative(outDir, dir) || '.'}${manifest.spec?.name ? ` (spec "${manifest.spec.name}")` : ''}`);
      throw new KolmoError(
        'output',
        `output folder ${outDir} holds results of another spec (or of this one with other settings): ${shown.join(', ')}` +
          `${foreign.length > 3 ? ` and ${foreign.length - 3} more` : ''}; use --force to replace them, or choose another --out`,
      );
    }

    for (const name of derivedFiles) rmSync(join(outDir, name), { force: true });
    rmSync(join(outDir, 'plots'), { recursive: true, force: true });

    const kept = new Map<number, RunResult>();
    for (const { dir, manifest } of existing) {
      const mine = plannedByDir.get(dir);
      if (mine && options.resume && sameIdentity(mine.run.identity, manifest)) {
        const result = keptResult(dir, manifest);
        if (result) {
          kept.set(mine.index, result);
          continue;
        }
      }
      removeRunFiles(dir, manifest);
    }
    if (foreign.length) notes.push(`replaced the results of ${foreign.length} run(s) of another spec (--force)`);
    if (options.resume) notes.push(`resume: ${kept.size} of ${planned.length} run(s) already complete, ${planned.length - kept.size} to run`);
    return { kept, notes, release };
  } catch (error) {
    release();
    throw error;
  }
}

function sameIdentity(identity: RunIdentity, manifest: Manifest): boolean {
  return canonical({ seed: identity.seed, point: identity.point, resolved: identity.resolved }) === canonical({ seed: manifest.seed, point: manifest.spec?.point ?? {}, resolved: manifest.resolved });
}

/** JSON with object keys sorted, so two manifests compare by content, not by key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

/** The manifests a folder holds: its own (a single run) and its sub-folders' (sweep points). */
function existingManifests(outDir: string): { dir: string; manifest: Manifest }[] {
  const dirs = [outDir];
  try {
    for (const entry of readdirSync(outDir, { withFileTypes: true })) if (entry.isDirectory()) dirs.push(join(outDir, entry.name));
  } catch {
    return [];
  }
  return dirs.flatMap((dir) => {
    const file = join(dir, 'manifest.json');
    if (!existsSync(file)) return [];
    try {
      return [{ dir: resolve(dir), manifest: JSON.parse(readFileSync(file, 'utf8')) as Manifest }];
    } catch {
      return [{ dir: resolve(dir), manifest: { seed: Number.NaN, resolved: undefined } }]; // unreadable: never matches
    }
  });
}

/** A kept run's result, from its metrics.json and manifest; undefined when anything it lists is missing. */
function keptResult(dir: string, manifest: Manifest): RunResult | undefined {
  const outputs = (manifest.outputs ?? []).map((o) => join(dir, o.path));
  if (!outputs.every((file) => existsSync(file))) return undefined;
  try {
    const { label: _label, point: _point, seed: _seed, ...metrics } = JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8')) as Record<string, unknown>;
    return {
      ...(metrics as Omit<RunResult, 'outputs' | 'seconds'>),
      outputs: outputs.filter((file) => file !== join(dir, 'metrics.json')),
      seconds: manifest.seconds ?? { build: 0, stream: 0 },
    };
  } catch {
    return undefined;
  }
}

/** Deletes the manifest first (the run stops looking complete), then the files it lists, then the folder if empty. */
function removeRunFiles(dir: string, manifest: Manifest): void {
  rmSync(join(dir, 'manifest.json'), { force: true });
  for (const output of manifest.outputs ?? []) {
    const file = resolve(dir, output.path);
    if (!file.startsWith(`${dir}/`)) continue; // never delete outside the run folder, whatever a manifest says
    try {
      unlinkSync(file);
    } catch {
      // already gone
    }
    removeEmptyFolders(dirname(file), dir);
  }
  rmSync(join(dir, 'metrics.json'), { force: true });
}

function removeEmptyFolders(from: string, upTo: string): void {
  for (let dir = from; dir.startsWith(`${upTo}/`); dir = dirname(dir)) {
    try {
      rmdirSync(dir);
    } catch {
      return;
    }
  }
}

/**
 * Why an output folder should not be read as one finished run, or undefined when it can: its completion
 * marker is missing (a run was interrupted or is still writing) or a file it names changed since.
 */
export function incompleteRunFolder(outDir: string): string | undefined {
  const markerPath = join(outDir, completionMarkerName);
  if (!existsSync(markerPath)) {
    return `${outDir} has no ${completionMarkerName}: its last run did not finish (or is still running), so its tables may mix old and new runs`;
  }
  try {
    const marker = JSON.parse(readFileSync(markerPath, 'utf8')) as { runs: { path: string; sha256: string }[]; files: { path: string; sha256: string }[] };
    for (const { path, sha256 } of [...marker.runs, ...marker.files]) {
      const file = join(outDir, path);
      if (!existsSync(file)) return `${outDir}: ${path}, part of the finished run, is missing`;
      if (createHash('sha256').update(readFileSync(file)).digest('hex') !== sha256) return `${outDir}: ${path} changed after the run finished`;
    }
  } catch (error) {
    return `${outDir}: ${completionMarkerName} is unreadable (${(error as Error).message})`;
  }
  return undefined;
}
