import { isAbsolute, normalize, sep } from 'node:path';
import { KolmoError } from '../errors.ts';
import type { PipelineSpec } from './pipeline-spec.ts';
import { formatPath, type SpecSource } from './spec-source.ts';
import type { ValidatedComponent } from './validate-spec.ts';

/** Files kolmo itself writes into a run folder or the output folder: no sink may take their names. */
const reservedFiles = new Set(['manifest.json', 'metrics.json', 'metrics-table.json', 'fits.json', 'run-complete.json', 'report.html', '.kolmo-lock']);

/** Sink config fields that name a file or folder inside the run folder. */
const sinkPathFields = ['path', 'directory'];

function fail(source: SpecSource, path: PropertyKey[], message: string): never {
  throw new KolmoError('invalidSpec', `${formatPath(path)} (${source.locate(path)}): ${message}`);
}

/**
 * Checks of a whole spec that no single component's schema can make: a name that stays one folder, sweep lists
 * without repeats whose every variable is used, and something for the run to do.
 */
export function checkEnvelope(source: SpecSource, spec: PipelineSpec): void {
  if (spec.name !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._=,-]*$/.test(spec.name)) {
    fail(source, ['name'], `"${spec.name}" is not a plain folder name (letters, digits and . _ = , - only; it names runs/<name>)`);
  }
  const used = JSON.stringify([spec.pipeline, spec.fit, spec.output ?? '']);
  for (const [variable, values] of Object.entries(spec.sweep)) {
    const seen = new Set<string>();
    values.forEach((value, i) => {
      const key = `${typeof value}:${String(value)}`;
      if (seen.has(key)) fail(source, ['sweep', variable, i], `${JSON.stringify(value)} is listed twice (each value is one run folder)`);
      seen.add(key);
    });
    // `seed` may go unused: replicates differ through the run seed, derived from the whole sweep point
    if (variable !== 'seed' && !used.includes(`\${${variable}}`)) {
      fail(source, ['sweep', variable], `the sweep variable "${variable}" is used nowhere: write \${${variable}} where its values go, or remove it`);
    }
  }
  if (spec.pipeline.predictors.length === 0 && spec.pipeline.sinks.length === 0) {
    fail(source, ['pipeline', 'predictors'], 'a run with no predictors and no sinks measures and writes nothing: add a predictor or a sink');
  }
}

/**
 * Sink outputs stay inside their run folder (else sweep points write into one file), each sink writes its own
 * file, and none takes the name of a file kolmo writes itself.
 */
export function checkSinkPaths(source: SpecSource, sinks: readonly ValidatedComponent[]): void {
  const taken = new Map<string, number>();
  sinks.forEach((sink, i) => {
    for (const field of sinkPathFields) {
      const value = sink.config[field];
      if (typeof value !== 'string') continue;
      const path = ['pipeline', 'sinks', i, field];
      const normal = normalize(value);
      if (isAbsolute(value) || normal === '..' || normal.startsWith(`..${sep}`) || normal === '.') {
        fail(source, path, `"${value}" is not inside the run folder: give a path relative to it, without ..`);
      }
      if (reservedFiles.has(normal)) fail(source, path, `"${value}" is a file kolmo writes itself into the run folder; choose another name`);
      const other = taken.get(normal);
      if (other !== undefined) fail(source, path, `"${value}" is also written by pipeline.sinks[${other}]: two sinks would write one file`);
      taken.set(normal, i);
    }
  });
}
