import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { KolmoError, type FitResult, type MetricsTable } from '@kolmo/core';

/** One run of the output folder, from its manifest.json. */
export interface RunSummary {
  /** The run folder's name (the sweep point's label), or '' for a single run. */
  readonly label: string;
  readonly point: Readonly<Record<string, unknown>>;
  readonly seed?: number;
  readonly started?: string;
  readonly seconds?: number;
}

/** What `kolmo run` left in an output folder (see core's run-spec.ts), as the report reads it. */
export interface RunOutput {
  readonly folder: string;
  readonly rows: MetricsTable;
  readonly fits: readonly FitResult[];
  readonly runs: readonly RunSummary[];
  /** The spec file the runs were made from (resolved from the manifests), when they say. */
  readonly specFile?: string;
  readonly specName?: string;
  /** The sweep variables (the keys of the runs' points). */
  readonly sweepVariables: readonly string[];
}

interface Manifest {
  spec?: { file?: string; name?: string; point?: Record<string, unknown> };
  seed?: number;
  started?: string;
  seconds?: number | { build?: number; stream?: number };
}

/** Reads metrics-table.json, fits.json (if any) and the manifests of a run's output folder. */
export function readRunOutput(outputFolder: string): RunOutput {
  const folder = resolve(outputFolder);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new KolmoError('input', `${outputFolder} is not a folder: give the output folder of a kolmo run`);
  }
  const metricsFile = join(folder, 'metrics-table.json');
  if (!existsSync(metricsFile)) {
    throw new KolmoError('input', `${outputFolder} has no metrics-table.json: is it the output folder of a finished kolmo run?`);
  }
  const metrics = readJson(metricsFile) as { rows?: unknown };
  if (!metrics || !Array.isArray(metrics.rows)) throw new KolmoError('input', `${metricsFile}: expected { "rows": [ … ] }`);
  const fitsFile = join(folder, 'fits.json');
  const fits = existsSync(fitsFile) ? readJson(fitsFile) : [];
  if (!Array.isArray(fits)) throw new KolmoError('input', `${fitsFile}: expected an array of fit results`);

  const manifests: { label: string; manifest: Manifest }[] = [];
  if (existsSync(join(folder, 'manifest.json'))) manifests.push({ label: '', manifest: readJson(join(folder, 'manifest.json')) as Manifest });
  else {
    for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const file = join(folder, entry.name, 'manifest.json');
      if (entry.isDirectory() && existsSync(file)) manifests.push({ label: entry.name, manifest: readJson(file) as Manifest });
    }
  }
  const runs = manifests.map(({ label, manifest }) => ({
    label,
    point: manifest.spec?.point ?? {},
    seed: manifest.seed,
    started: manifest.started,
    seconds: typeof manifest.seconds === 'number' ? manifest.seconds : manifest.seconds ? (manifest.seconds.build ?? 0) + (manifest.seconds.stream ?? 0) : undefined,
  }));
  const named = manifests.find(({ manifest }) => manifest.spec?.file);
  const spec = named?.manifest.spec;
  // manifests name the spec relative to their run folder (older ones: absolute; resolve keeps those)
  return {
    folder,
    rows: metrics.rows as MetricsTable,
    fits: fits as FitResult[],
    runs,
    specFile: spec?.file && named ? resolve(folder, named.label, spec.file) : undefined,
    specName: spec?.name,
    sweepVariables: [...new Set(runs.flatMap((run) => Object.keys(run.point)))],
  };
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new KolmoError('input', `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? error}`, { cause: error });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new KolmoError('input', `${file} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}
