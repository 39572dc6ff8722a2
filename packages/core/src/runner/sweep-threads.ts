import { Worker } from 'node:worker_threads';
import { KolmoError, type ErrorKind } from '../errors.ts';
import type { Logger } from '../contracts/stage-context.ts';
import type { RunResult } from './run-pipeline.ts';
import type { SweepPointHooks, SweepPointRequest } from './run-point.ts';
import type { LoadedSpec } from './run-spec.ts';

export interface SweepThreadOptions {
  /**
   * When running from TypeScript sources: the URL of a module whose `register()` makes this thread import
   * TypeScript (tsx's `tsx/esm/api`). Each worker calls it before importing its entry (on Node 20, loader hooks
   * given by `--import` in a worker's execArgv do not apply to its entry module). Not needed for built JavaScript.
   */
  readonly typescriptLoader?: string;
  /**
   * When running from sources inside the workspace: the URL of a module resolve hook (`node:module` register) that
   * adds the `@kolmo/source` export condition, so the worker resolves workspace packages to their sources as the
   * main thread does. Not needed for built JavaScript.
   */
  readonly resolveHook?: string;
}

/** Messages between the main thread and a sweep worker (sweep-worker.ts). */
export type ToWorker = { type: 'run'; request: SweepPointRequest } | { type: 'abort' };
export type FromWorker =
  | { type: 'progress'; progress: Parameters<NonNullable<SweepPointHooks['onProgress']>>[0] }
  | { type: 'log'; level: keyof Logger; message: string }
  | { type: 'done'; result: RunResult }
  | { type: 'failed'; error: SerializedError };

export interface SerializedError {
  readonly kind?: ErrorKind;
  readonly message: string;
  readonly details?: readonly string[];
  readonly code?: string;
  readonly stack?: string;
}

export function serializeError(error: unknown): SerializedError {
  if (error instanceof KolmoError) return { kind: error.kind, message: error.message, details: error.details };
  const e = error as NodeJS.ErrnoException;
  return { message: String(e?.message ?? error), code: e?.code, stack: e?.stack };
}

function revive(error: SerializedError): Error {
  if (error.kind) return new KolmoError(error.kind, error.message, { details: error.details });
  const revived = Object.assign(new Error(error.message), { code: error.code });
  if (error.stack) revived.stack = error.stack;
  return revived;
}

/**
 * A fixed set of worker threads, each with the spec loaded once (plugins, validation), running one sweep point
 * at a time through `runSweepPoint`: sweep points use as many cores as threads. A run's bytes do not depend on
 * the thread it ran on (its seed comes from the sweep point), so results equal those of one thread.
 */
export class SweepThreads {
  private readonly idle: Worker[] = [];
  private readonly all: Worker[] = [];

  constructor(loaded: LoadedSpec, count: number, options: SweepThreadOptions) {
    const workerData = { specFile: loaded.source.file, builtins: loaded.builtins };
    for (let i = 0; i < count; i++) {
      const entry = new URL(`./sweep-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url).href;
      // hooks registered on the main thread do not reach a worker: the source condition's resolve hook and tsx are
      // registered again here, before the entry is imported
      const sourceHook = options.resolveHook ? `await (await import('node:module')).register(${JSON.stringify(options.resolveHook)});` : '';
      const typescript = options.typescriptLoader ? `(await import(${JSON.stringify(options.typescriptLoader)})).register();` : '';
      const bootstrap = `(async () => { ${sourceHook} ${typescript} await import(${JSON.stringify(entry)}); })();`;
      const worker = new Worker(bootstrap, { eval: true, workerData });
      worker.unref(); // an idle pool never keeps the process alive
      this.all.push(worker);
      this.idle.push(worker);
    }
  }

  /** Runs one point on an idle thread (callers keep at most `count` runs in flight). */
  run(request: SweepPointRequest, { signal, log, onProgress }: SweepPointHooks): Promise<RunResult> {
    const worker = this.idle.pop();
    if (!worker) return Promise.reject(new Error('SweepThreads.run: more runs in flight than threads'));
    worker.ref();
    return new Promise<RunResult>((resolve, reject) => {
      const abort = () => worker.postMessage({ type: 'abort' } satisfies ToWorker);
      const settle = () => {
        signal.removeEventListener('abort', abort);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        worker.unref();
      };
      const onMessage = (message: FromWorker) => {
        if (message.type === 'progress') onProgress?.(message.progress);
        else if (message.type === 'log') log[message.level](message.message);
        else if (message.type === 'done') {
          settle();
          this.idle.push(worker);
          resolve(message.result);
        } else if (message.type === 'failed') {
          settle();
          this.idle.push(worker);
          reject(revive(message.error));
        }
      };
      const onError = (error: Error) => {
        settle();
        reject(error);
      };
      const onExit = (code: number) => {
        settle();
        reject(new Error(`a sweep worker thread exited (code ${code}) while running ${request.runDir}`));
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.postMessage({ type: 'run', request } satisfies ToWorker); // before any abort, which applies to the run in progress
      if (signal.aborted) abort();
      else signal.addEventListener('abort', abort, { once: true });
    });
  }

  /** Stops every thread (they hold no state worth keeping once the sweep is over). */
  async close(): Promise<void> {
    await Promise.all(this.all.map((worker) => worker.terminate()));
  }
}
