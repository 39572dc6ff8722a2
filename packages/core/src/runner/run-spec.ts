import { accessSync, constants, mkdirSync } from 'node:fs';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import { lastValueFrom, from, mergeMap, toArray } from 'rxjs';
import type { Logger } from '../contracts/stage-context.ts';
import type { FitResult, MetricsTable } from '../contracts/fitter.ts';
import { KolmoError } from '../errors.ts';
import { committedDigest, writeFileAtomic } from '../io/atomic-file.ts';
import { sha256File } from '../io/checksum.ts';
import { loadPlugins, type PluginSource } from '../plugins/plugin-loader.ts';
import type { StageRegistry } from '../plugins/stage-registry.ts';
import { deriveSeed } from '../random/seed.ts';
import type { PipelineSpec } from '../pipeline-spec/pipeline-spec.ts';
import { readSpecFile } from '../pipeline-spec/spec-composition.ts';
import type { SpecSource } from '../pipeline-spec/spec-source.ts';
import { validateEnvelope, validateRuns, type ValidatedRun } from '../pipeline-spec/validate-spec.ts';
import { metricsRows } from './metrics-rows.ts';
import { RunContext } from './run-context.ts';
import { runPipeline, type RunProgress, type RunResult } from './run-pipeline.ts';

export interface SpecOptions {
  readonly specFile: string;
  /** Plugins every spec gets (the built-in stages), loaded before the spec's own. */
  readonly builtins: readonly PluginSource[];
}

/** A spec read, its plugins loaded and every run validated: what `kolmo validate` checks and `run` executes. */
export interface LoadedSpec {
  readonly source: SpecSource;
  readonly spec: PipelineSpec;
  readonly name: string;
  readonly specDir: string;
  readonly registry: StageRegistry;
  readonly runs: readonly ValidatedRun[];
}

export async function loadSpec({ specFile, builtins }: SpecOptions): Promise<LoadedSpec> {
  const source = readSpecFile(specFile);
  const spec = validateEnvelope(source);
  const specDir = dirname(resolve(specFile));
  const registry = await loadPlugins([
    ...builtins,
    ...spec.plugins.map((name) => ({ name, baseDir: specDir })),
  ]);
  const runs = validateRuns(source, spec, registry);
  const name = spec.name ?? basename(specFile, extname(specFile));
  return { source, spec, name, specDir, registry, runs };
}

export interface RunOptions {
  readonly outDir?: string;
  readonly signal?: AbortSignal;
  readonly log?: Logger;
  readonly onProgress?: (progress: RunProgress & { run: number; runs: number }) => void;
  /** Runs in flight at once (default: the spec's `concurrency`). */
  readonly concurrency?: number;
  /** Execution order of the sweep's runs, as indices (tests use this to show order does not matter). */
  readonly order?: readonly number[];
}

export interface SpecRunResult {
  readonly outDir: string;
  readonly runs: readonly { label: string; runDir: string; seed: number; result: RunResult }[];
  readonly metrics: MetricsTable;
  readonly fits: readonly FitResult[];
  readonly seconds: number;
}

const silent: Logger = { info: () => undefined, warn: () => undefined };

/** Executes every run of a loaded spec and writes, per run folder, the outputs, `metrics.json` and `manifest.json`. */
export async function runLoadedSpec(loaded: LoadedSpec, options: RunOptions = {}): Promise<SpecRunResult> {
  const started = performance.now();
  const { spec, runs } = loaded;
  const outDir = resolve(options.outDir ?? spec.output ?? join('runs', loaded.name));
  const single = runs.length === 1 && Object.keys(runs[0].point).length === 0;
  const runDirs = runs.map((run) => (single ? outDir : join(outDir, run.label)));
  for (const dir of runDirs) ensureWritableFolder(dir);

  const signal = options.signal ?? new AbortController().signal;
  const order = options.order ?? runs.map((_, i) => i);
  const concurrency = options.concurrency ?? spec.concurrency;
  const executeRun = async (index: number) => {
    const run = runs[index];
    const runDir = runDirs[index];
    const seed = deriveSeed(spec.seed, run.point);
    const runStarted = new Date();
    const context = new RunContext({
      registry: loaded.registry,
      runDir,
      specDir: loaded.specDir,
      point: run.point,
      seed,
      signal,
      log: options.log ?? silent,
    });
    const result = await runPipeline(run, context, signal, (progress) =>
      options.onProgress?.({ ...progress, run: index, runs: runs.length }),
    );
    const metricsFile = await writeFileAtomic(join(runDir, 'metrics.json'), json({ label: run.label, point: run.point, seed, ...result, outputs: undefined, seconds: undefined }));
    await writeManifest(loaded, run, runDir, seed, runStarted, result, [...result.outputs, metricsFile]);
    return { index, label: run.label, runDir, seed, result };
  };
  const finished = await lastValueFrom(from(order).pipe(mergeMap(executeRun, concurrency), toArray()));
  finished.sort((a, b) => a.index - b.index);

  const metrics = finished.flatMap(({ label, result }) => metricsRows(label, runs.find((r) => r.label === label)!.point, result));
  const fits: FitResult[] = [];
  const context = new RunContext({ registry: loaded.registry, runDir: outDir, specDir: loaded.specDir, point: {}, seed: spec.seed, signal, log: options.log ?? silent });
  for (const component of runs[0].fit) {
    const fitter = await context.build({ ...component, kind: 'fitter' });
    fits.push(await fitter.fit(metrics));
  }
  await writeFileAtomic(join(outDir, 'metrics-table.json'), json({ rows: metrics }));
  if (fits.length) await writeFileAtomic(join(outDir, 'fits.json'), json(fits));
  return {
    outDir,
    runs: finished.map(({ label, runDir, seed, result }) => ({ label, runDir, seed, result })),
    metrics,
    fits,
    seconds: (performance.now() - started) / 1000,
  };
}

function ensureWritableFolder(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (error) {
    throw new KolmoError('output', `output folder ${dir} is not writable: ${(error as NodeJS.ErrnoException).code ?? error}`, { cause: error });
  }
}

async function writeManifest(
  loaded: LoadedSpec,
  run: ValidatedRun,
  runDir: string,
  seed: number,
  started: Date,
  result: RunResult,
  files: readonly string[],
): Promise<void> {
  const component = (c: { type: string; name: string; config: Record<string, unknown> }) => ({ type: c.type, name: c.name, ...c.config });
  const outputs = [];
  for (const file of files) outputs.push({ path: relative(runDir, file), sha256: committedDigest(resolve(file)) ?? (await sha256File(file)) });
  const manifest = {
    kolmo: 1,
    spec: { file: resolve(loaded.source.file), name: loaded.name, seed: loaded.spec.seed, point: run.point },
    seed,
    resolved: {
      generator: component(run.generator),
      tokenizer: component(run.tokenizer),
      predictors: run.predictors.map(component),
      coder: component(run.coder),
      sinks: run.sinks.map(component),
    },
    plugins: loaded.registry.plugins.map(({ name, packageName, version }) => ({ name, package: packageName, version })),
    node: process.version,
    started: started.toISOString(),
    seconds: result.seconds,
    outputs,
  };
  await writeFileAtomic(join(runDir, 'manifest.json'), json(manifest));
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
