import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import type { Logger } from '../contracts/stage-context.ts';
import type { FitResult, MetricsTable } from '../contracts/fitter.ts';
import { KolmoError } from '../errors.ts';
import { committedDigest, writeFileAtomic } from '../io/atomic-file.ts';
import { outputError } from '../io/output-error.ts';
import { sha256File } from '../io/checksum.ts';
import { loadPlugins, type PluginSource } from '../plugins/plugin-loader.ts';
import type { StageRegistry } from '../plugins/stage-registry.ts';
import { deriveSeed } from '../random/seed.ts';
import type { PipelineSpec } from '../pipeline-spec/pipeline-spec.ts';
import { readSpecFile } from '../pipeline-spec/spec-composition.ts';
import type { SpecSource } from '../pipeline-spec/spec-source.ts';
import { validateEnvelope, validateRuns, type ValidatedRun } from '../pipeline-spec/validate-spec.ts';
import { throwIfInterrupted } from './cancellation.ts';
import { metricsRows } from './metrics-rows.ts';
import { completionMarkerName, prepareRunFolder } from './run-folder.ts';
import { RunContext } from './run-context.ts';
import type { RunProgress, RunResult } from './run-pipeline.ts';
import { resolvedRun, runSweepPoint } from './run-point.ts';
import { ServiceScope } from './service-scope.ts';
import { runPool } from './sweep-pool.ts';
import { SweepThreads, type SweepThreadOptions } from './sweep-threads.ts';

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
  /** The plugins loaded before the spec's own (what a worker thread loads again). */
  readonly builtins: readonly PluginSource[];
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
  return { source, spec, name, specDir, registry, runs, builtins };
}

export interface RunOptions {
  readonly outDir?: string;
  readonly signal?: AbortSignal;
  readonly log?: Logger;
  readonly onProgress?: (progress: RunProgress & { run: number; runs: number }) => void;
  /** A run finished (its manifest is written), by index. */
  readonly onRunFinished?: (run: number, runs: number) => void;
  /** Runs in flight at once (default: the spec's `concurrency`). */
  readonly concurrency?: number;
  /** Execution order of the sweep's runs, as indices (tests use this to show order does not matter). */
  readonly order?: readonly number[];
  /** Replace another spec's results found in the output folder (refused without it). */
  readonly force?: boolean;
  /** Rerun only the points whose manifest is missing or does not match the resolved spec. */
  readonly resume?: boolean;
  /**
   * Run sweep points on worker threads (one per concurrent run, so `concurrency` uses that many cores). Without
   * it, concurrent runs interleave on this thread. `execArgv` loads what the worker needs to import TypeScript.
   */
  readonly threads?: SweepThreadOptions;
  /**
   * Where stages cache expensive deterministic work (the `llm` stage's scored documents), shared by the runs of
   * the spec and by later runs of it: default `<outDir>/.cache`; `false` turns caching off (`--no-cache`).
   */
  readonly cacheDir?: string | false;
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
  ensureWritableFolder(outDir);
  const planned = runs.map((run, i) => ({ label: run.label, runDir: runDirs[i], identity: { seed: deriveSeed(spec.seed, run.point), point: run.point, resolved: resolvedRun(run) } }));
  const folder = prepareRunFolder(outDir, planned, { force: options.force, resume: options.resume });
  try {
    for (const note of folder.notes) options.log?.info(note);
    return await runInFolder(loaded, options, outDir, runDirs, folder.kept, started);
  } finally {
    folder.release();
  }
}

async function runInFolder(
  loaded: LoadedSpec,
  options: RunOptions,
  outDir: string,
  runDirs: readonly string[],
  kept: ReadonlyMap<number, RunResult>,
  started: number,
): Promise<SpecRunResult> {
  const { spec, runs } = loaded;

  const signal = options.signal ?? new AbortController().signal;
  const order = (options.order ?? runs.map((_, i) => i)).filter((index) => !kept.has(index));
  const concurrency = options.concurrency ?? spec.concurrency;
  const log = options.log ?? silent;
  const threads = options.threads && concurrency > 1 && order.length > 1 ? new SweepThreads(loaded, Math.min(concurrency, order.length), options.threads) : undefined;
  const cacheDir = options.cacheDir === false ? undefined : resolve(options.cacheDir ?? join(outDir, '.cache'));
  // LLM backends are built once per config for all runs of the sweep (per thread), closed when the spec is done.
  const services = new ServiceScope();
  const executeRun = async (index: number, signal: AbortSignal) => {
    const onProgress = (progress: RunProgress) => options.onProgress?.({ ...progress, run: index, runs: runs.length });
    const request = { index, runDir: runDirs[index], cacheDir };
    const result = threads ? await threads.run(request, { signal, log, onProgress }) : await runSweepPoint(loaded, request, { signal, log, onProgress, services });
    options.onRunFinished?.(index, runs.length);
    return { index, label: runs[index].label, runDir: runDirs[index], seed: deriveSeed(spec.seed, runs[index].point), result };
  };
  let finished;
  try {
    finished = await runPool(order, concurrency, signal, executeRun);
  } finally {
    await threads?.close();
    await services.close();
  }
  for (const [index, result] of kept) finished.push({ index, label: runs[index].label, runDir: runDirs[index], seed: deriveSeed(spec.seed, runs[index].point), result });
  finished.sort((a, b) => a.index - b.index);

  const metrics = finished.flatMap(({ label, result }) => metricsRows(label, runs.find((r) => r.label === label)!.point, result));
  const fits: FitResult[] = [];
  const context = new RunContext({ registry: loaded.registry, runDir: outDir, specDir: loaded.specDir, point: {}, seed: spec.seed, signal, log: options.log ?? silent });
  for (const component of runs[0].fit) {
    throwIfInterrupted(signal, `before fitting ${component.name}`);
    const fitter = await context.build({ ...component, kind: 'fitter' });
    fits.push(await fitter.fit(metrics));
  }
  throwIfInterrupted(signal, 'before the metrics table was written');
  // the table names the manifests it was built from; the completion marker, written last, names the table too
  const manifests = [];
  for (const { label, runDir } of finished) manifests.push({ label, path: relative(outDir, join(runDir, 'manifest.json')) || 'manifest.json', sha256: await digestOf(join(runDir, 'manifest.json')) });
  // The table names its manifests by label and path only: a manifest holds timings, so its digest (kept in the
  // completion marker) would make the table differ between two runs of the same spec and seed.
  const tables = [await writeFileAtomic(join(outDir, 'metrics-table.json'), json({ manifests: manifests.map(({ label, path }) => ({ label, path })), rows: metrics }))];
  if (fits.length) tables.push(await writeFileAtomic(join(outDir, 'fits.json'), json(fits)));
  throwIfInterrupted(signal, 'before the run folder was marked complete');
  const files = [];
  for (const file of tables) files.push({ path: relative(outDir, file), sha256: await digestOf(file) });
  await writeFileAtomic(join(outDir, completionMarkerName), json({ kolmo: 1, spec: loaded.name, runs: manifests, files }));
  return {
    outDir,
    runs: finished.map(({ label, runDir, seed, result }) => ({ label, runDir, seed, result })),
    metrics,
    fits,
    seconds: (performance.now() - started) / 1000,
  };
}

function ensureWritableFolder(dir: string): void {
  // name the real obstacle: mkdir reports a file in the way as EEXIST and a read-only parent as ENOENT
  let existing = dir;
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  if (!statSync(existing).isDirectory()) {
    throw new KolmoError('output', `output folder ${dir} cannot be made: ${existing} is a file, not a folder`);
  }
  try {
    accessSync(existing, constants.W_OK);
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (error) {
    throw outputError(`output folder ${dir} is not writable${existing === dir ? '' : ` (nearest existing folder: ${existing})`}`, error);
  }
}

async function digestOf(file: string): Promise<string> {
  return committedDigest(resolve(file)) ?? (await sha256File(file));
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
