import { rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { BackendIdentity } from '../contracts/llm-backend.ts';
import type { Logger } from '../contracts/stage-context.ts';
import { committedDigest, writeFileAtomic } from '../io/atomic-file.ts';
import { sha256File } from '../io/checksum.ts';
import { outputError } from '../io/output-error.ts';
import type { ValidatedRun } from '../pipeline-spec/validate-spec.ts';
import { deriveSeed } from '../random/seed.ts';
import { RunContext } from './run-context.ts';
import { runPipeline, type RunProgress, type RunResult } from './run-pipeline.ts';
import type { ServiceScope } from './service-scope.ts';
import type { LoadedSpec } from './run-spec.ts';

/** Which sweep point to run and where: plain data, so it can cross a thread (or a job queue). */
export interface SweepPointRequest {
  /** Index into the loaded spec's runs. */
  readonly index: number;
  readonly runDir: string;
  /** Where stages cache expensive deterministic work (scored documents); undefined: caching is off. */
  readonly cacheDir?: string;
}

export interface SweepPointHooks {
  readonly signal: AbortSignal;
  readonly log: Logger;
  readonly onProgress?: (progress: RunProgress) => void;
  /** Process-wide services (LLM backends) shared with other points; without it, this point has its own. */
  readonly services?: ServiceScope;
}

/**
 * Runs one sweep point in isolation: its pipeline, then `metrics.json` and `manifest.json` in its run folder.
 * Depends only on the loaded spec and the request, never on other points, so a worker thread (or a job-queue
 * worker) can call it for any point in any order and produce the same bytes.
 */
export async function runSweepPoint(loaded: LoadedSpec, { index, runDir, cacheDir }: SweepPointRequest, { signal, log, onProgress, services }: SweepPointHooks): Promise<RunResult> {
  const run = loaded.runs[index];
  const seed = deriveSeed(loaded.spec.seed, run.point);
  const runStarted = new Date();
  const context = new RunContext({ registry: loaded.registry, runDir, specDir: loaded.specDir, point: run.point, seed, signal, log, services, cacheDir });
  let result: RunResult;
  try {
    result = await runPipeline(run, context, signal, onProgress);
  } finally {
    if (!services) await context.services.close();
  }
  try {
    const metricsFile = await writeFileAtomic(join(runDir, 'metrics.json'), json({ label: run.label, point: run.point, seed, ...result, outputs: undefined, seconds: undefined }));
    await writeManifest(loaded, run, runDir, seed, runStarted, result, [...result.outputs, metricsFile], context.backends);
  } catch (error) {
    // a run without its manifest is no run: remove what it wrote rather than leave files that look current
    for (const file of [...result.outputs, join(runDir, 'metrics.json')]) rmSync(file, { force: true, recursive: true });
    throw outputError(`the results of ${run.label} could not be written`, error);
  }
  return result;
}

async function writeManifest(
  loaded: LoadedSpec,
  run: ValidatedRun,
  runDir: string,
  seed: number,
  started: Date,
  result: RunResult,
  files: readonly string[],
  backends: readonly BackendIdentity[],
): Promise<void> {
  const outputs = [];
  for (const file of files) outputs.push({ path: relative(runDir, file), sha256: committedDigest(resolve(file)) ?? (await sha256File(file)) });
  const manifest = {
    kolmo: 1,
    // relative to this run folder: a manifest stays true when the project folder moves or is shared
    spec: { file: relative(runDir, resolve(loaded.source.file)), name: loaded.name, seed: loaded.spec.seed, point: run.point },
    seed,
    resolved: resolvedRun(run),
    // each LLM backend's identity (id, model, revision, tokenizer): never a secret, which stays in the environment
    backends: backends.length ? backends : undefined,
    plugins: loaded.registry.plugins.map(({ name, packageName, version }) => ({ name, package: packageName, version })),
    node: process.version,
    started: started.toISOString(),
    seconds: result.seconds,
    outputs,
  };
  await writeFileAtomic(join(runDir, 'manifest.json'), json(manifest));
}

/** The resolved components of a run, as its manifest records them (and as `--resume` compares them). */
export function resolvedRun(run: ValidatedRun) {
  const component = (c: { type: string; name: string; config: Record<string, unknown> }) => ({ type: c.type, name: c.name, ...c.config });
  return {
    generator: component(run.generator),
    tokenizer: component(run.tokenizer),
    predictors: run.predictors.map(component),
    coder: component(run.coder),
    sinks: run.sinks.map(component),
  };
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
