import { Buffer } from 'node:buffer';
import { concatMap, from, lastValueFrom, map, takeUntil, fromEvent, defaultIfEmpty } from 'rxjs';
import type { CoderSession } from '../contracts/coder.ts';
import type { Generator } from '../contracts/generator.ts';
import type { Predictor } from '../contracts/predictor.ts';
import type { Sink } from '../contracts/sink.ts';
import type { Tokenizer } from '../contracts/tokenizer.ts';
import { KolmoError } from '../errors.ts';
import type { DocumentBatch } from '../records/document-batch.ts';
import type { ScoredBatch } from '../records/scored-batch.ts';
import type { ValidatedRun } from '../spec/validate-spec.ts';
import { CodeLengthTally } from './code-length-tally.ts';
import { pullSource } from './pull-source.ts';
import type { RunContext } from './run-context.ts';

/** Progress of one run, reported after every batch. */
export interface RunProgress {
  readonly label: string;
  readonly documents: number;
  readonly tokens: number;
  readonly expectedDocuments?: number;
}

/** What one run measured. */
export interface RunResult {
  readonly documents: number;
  readonly bytes: number;
  readonly tokens: number;
  readonly predictors: Record<string, PredictorResult>;
  readonly truth?: { bits: number; slots: Record<string, { tokens: number; bits: number }> };
  readonly generator: Record<string, number>;
  readonly outputs: readonly string[];
  readonly seconds: { build: number; stream: number };
}

export interface PredictorResult {
  readonly bits: number;
  readonly codedBytes?: number;
  readonly slots: Record<string, { tokens: number; bits: number }>;
  readonly statistics: Record<string, number>;
}

/** Batches pulled ahead of the slowest sink; two keeps the disk busy while the next batch is computed. */
const batchesInFlight = 2;

/**
 * One run: generator → tokenizer → every predictor's coder session → sinks, one document batch at a time.
 * The source is pulled only as sinks finish writing; an abort stops the stream and removes partial outputs.
 */
export async function runPipeline(
  run: ValidatedRun,
  context: RunContext,
  signal: AbortSignal,
  onProgress: (progress: RunProgress) => void = () => undefined,
): Promise<RunResult> {
  const started = performance.now();
  const sinks: Sink[] = [];
  const closables: { close?(): unknown }[] = [];
  try {
    const generator = (await context.build({ ...run.generator, kind: 'generator' })) as Generator;
    closables.push(generator);
    context.upstream.generator = generator;
    const tokenizer = (await context.build({ ...run.tokenizer, kind: 'tokenizer' })) as Tokenizer;
    context.upstream.tokenizer = tokenizer;
    const coder = await context.build({ ...run.coder, kind: 'coder' });
    const predictors: { name: string; predictor: Predictor; session: CoderSession; tally: CodeLengthTally }[] = [];
    for (const component of run.predictors) {
      const predictor = (await context.build({ ...component, kind: 'predictor' })) as Predictor;
      closables.push(predictor);
      predictors.push({ name: component.name, predictor, session: coder.open(component.name, predictor), tally: new CodeLengthTally() });
    }
    for (const component of run.sinks) sinks.push((await context.build({ ...component, kind: 'sink' })) as Sink);
    for (const sink of sinks) await sink.open?.({ predictors: predictors.map((p) => p.name) });

    const truth = new CodeLengthTally();
    let documents = 0;
    let bytes = 0;
    let tokenCount = 0;
    const streamStarted = performance.now();
    const source = pullSource(() => generator.batches(), batchesInFlight);
    const scoreBatch = (batch: DocumentBatch) => {
      const tokens = tokenizer.tokenize(batch);
      const scored: ScoredBatch[] = predictors.map(({ session, tally }) => {
        const result = session.code(tokens);
        tally.add(result);
        return result;
      });
      if (tokens.trueBits) truth.add({ predictor: 'truth', tokens, bits: tokens.trueBits });
      documents += batch.text.length;
      tokenCount += tokens.length;
      for (const text of batch.text) bytes += Buffer.byteLength(text, 'utf8');
      return { documents: batch, tokens, scored };
    };
    const written = source.values.pipe(
      map(scoreBatch),
      concatMap((record) =>
        from(
          (async () => {
            for (const sink of sinks) await sink.write(record);
            source.grant();
            onProgress({ label: run.label, documents, tokens: tokenCount, expectedDocuments: generator.expectedDocuments });
          })(),
        ),
      ),
      takeUntil(fromEvent(signal, 'abort')),
      defaultIfEmpty(undefined),
    );
    await lastValueFrom(written);
    if (signal.aborted) throw new KolmoError('interrupted', 'interrupted: the run was stopped before it finished; no partial output was kept');

    const results: Record<string, PredictorResult> = {};
    for (const { name, predictor, session, tally } of predictors) {
      const { codedBytes } = session.finish();
      results[name] = { bits: tally.bits, codedBytes, slots: tally.slots(), statistics: predictor.statistics?.() ?? {} };
    }
    const outputs: string[] = [];
    for (const sink of sinks) outputs.push(...(await sink.close()));
    sinks.length = 0;
    return {
      documents,
      bytes,
      tokens: tokenCount,
      predictors: results,
      truth: truth.tokens > 0 ? { bits: truth.bits, slots: truth.slots() } : undefined,
      generator: generator.statistics?.() ?? {},
      outputs,
      seconds: { build: (streamStarted - started) / 1000, stream: (performance.now() - streamStarted) / 1000 },
    };
  } finally {
    await Promise.all(sinks.map((sink) => sink.abort()));
    for (const stage of closables) await stage.close?.();
  }
}
