import { Buffer } from 'node:buffer';
import { concatMap, from, lastValueFrom, map, takeUntil, fromEvent, defaultIfEmpty } from 'rxjs';
import type { CoderSession } from '../contracts/coder.ts';
import type { Generator } from '../contracts/generator.ts';
import type { Predictor } from '../contracts/predictor.ts';
import type { Sink, SinkRecord } from '../contracts/sink.ts';
import type { Tokenizer } from '../contracts/tokenizer.ts';
import { KolmoError } from '../errors.ts';
import type { DocumentBatch } from '../records/document-batch.ts';
import type { ScoredBatch } from '../records/scored-batch.ts';
import type { TokenBatch } from '../records/token-batch.ts';
import type { ValidatedRun } from '../pipeline-spec/validate-spec.ts';
import { BatchScorer } from './batch-scorer.ts';
import { throwIfInterrupted, yieldToEventLoop } from './cancellation.ts';
import { CodeLengthTally } from './code-length-tally.ts';
import { pullSource } from './pull-source.ts';
import type { RunContext } from './run-context.ts';

/** Progress of one run, reported after every batch. */
export interface RunProgress {
  readonly label: string;
  readonly phase: 'train' | 'test';
  readonly documents: number;
  readonly tokens: number;
  readonly expectedDocuments?: number;
}

export type SlotBits = Record<string, { tokens: number; bits: number }>;

/** Documents, bytes and tokens of a phase, and the true code length when the source is known. */
export interface PhaseTotals {
  readonly documents: number;
  readonly bytes: number;
  readonly tokens: number;
  readonly truth?: { bits: number; slots: SlotBits };
}

/** What one run measured: the training phase's totals, and the evaluation phase's under `test`. */
export interface RunResult extends PhaseTotals {
  readonly predictors: Record<string, PredictorResult>;
  readonly test?: PhaseTotals;
  readonly generator: Record<string, number>;
  readonly outputs: readonly string[];
  readonly seconds: { build: number; stream: number };
}

export interface PredictorResult {
  readonly bits: number;
  readonly codedBytes?: number;
  readonly slots: SlotBits;
  /** Bits on the held-out documents, scored without learning. */
  readonly test?: { bits: number; slots: SlotBits };
  readonly statistics: Record<string, number>;
}

/** Running totals of one phase: documents, bytes, tokens, the truth, and each predictor's bits. */
class PhaseTally {
  documents = 0;
  bytes = 0;
  tokens = 0;
  readonly truth = new CodeLengthTally();
  readonly predictors: CodeLengthTally[];

  constructor(predictors: number) {
    this.predictors = Array.from({ length: predictors }, () => new CodeLengthTally());
  }

  add(documents: DocumentBatch, tokens: TokenBatch, scored: readonly ScoredBatch[]): void {
    scored.forEach((batch, i) => this.predictors[i].add(batch));
    if (tokens.trueBits) this.truth.add({ predictor: 'truth', tokens, bits: tokens.trueBits });
    this.documents += documents.text.length;
    this.tokens += tokens.length;
    for (const text of documents.text) this.bytes += Buffer.byteLength(text, 'utf8');
  }

  totals(): PhaseTotals {
    const { documents, bytes, tokens, truth } = this;
    return { documents, bytes, tokens, truth: truth.tokens > 0 ? { bits: truth.bits, slots: truth.slots() } : undefined };
  }
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
    const predictors: { name: string; predictor: Predictor; session: CoderSession }[] = [];
    for (const component of run.predictors) {
      const predictor = (await context.build({ ...component, kind: 'predictor' })) as Predictor;
      closables.push(predictor);
      predictors.push({ name: component.name, predictor, session: coder.open(component.name, predictor) });
    }
    context.upstream.predictors = new Map(predictors.map(({ name, predictor }) => [name, predictor]));
    for (const component of run.sinks) sinks.push((await context.build({ ...component, kind: 'sink' })) as Sink);
    for (const sink of sinks) await sink.open?.({ predictors: predictors.map((p) => p.name) });

    const train = new PhaseTally(predictors.length);
    const streamStarted = performance.now();
    const stream = async (phase: 'train' | 'test', open: () => Iterator<DocumentBatch> | AsyncIterator<DocumentBatch>, tally: PhaseTally) => {
      throwIfInterrupted(signal, `before ${run.label} started`); // takeUntil below misses an abort that came before it
      const scorer = new BatchScorer(predictors);
      const source = pullSource(open, scorer.batchesInFlight(batchesInFlight));
      const scoreBatch = (documents: DocumentBatch) => {
        const tokens = tokenizer.tokenize(documents);
        return { documents, tokens, scored: scorer.score(tokens, phase) };
      };
      const written = source.values.pipe(
        map(scoreBatch),
        concatMap(({ documents, tokens, scored }) =>
          from(
            (async () => {
              // In document order: an asynchronous predictor's batches may finish out of order.
              const record: SinkRecord = { documents, tokens, scored: scored instanceof Promise ? await scored : scored, phase };
              tally.add(documents, tokens, record.scored);
              for (const sink of sinks) await sink.write(record);
              await yieldToEventLoop(); // lets a signal handler run even when nothing above waited on I/O
              source.grant();
              onProgress({ label: run.label, phase, documents: tally.documents, tokens: tally.tokens, expectedDocuments: phase === 'train' ? generator.expectedDocuments : run.evaluationDocuments });
            })(),
          ),
        ),
        takeUntil(fromEvent(signal, 'abort')),
        defaultIfEmpty(undefined),
      );
      await lastValueFrom(written);
      throwIfInterrupted(signal, `during ${phase === 'train' ? 'training' : 'evaluation'} of ${run.label}`);
    };
    await stream('train', () => generator.batches(), train);
    const codedBytes = predictors.map(({ session }) => session.finish().codedBytes);
    let test: PhaseTally | undefined;
    if (run.evaluationDocuments > 0) {
      if (!generator.heldOut) {
        throw new KolmoError('invalidSpec', `pipeline.evaluation: generator "${run.generator.type}" cannot produce held-out documents`);
      }
      test = new PhaseTally(predictors.length);
      await stream('test', () => generator.heldOut!(run.evaluationDocuments), test);
    }

    const results: Record<string, PredictorResult> = {};
    predictors.forEach(({ name, predictor }, i) => {
      results[name] = {
        bits: train.predictors[i].bits,
        codedBytes: codedBytes[i],
        slots: train.predictors[i].slots(),
        test: test && { bits: test.predictors[i].bits, slots: test.predictors[i].slots() },
        statistics: predictor.statistics?.() ?? {},
      };
    });
    const outputs: string[] = [];
    throwIfInterrupted(signal, `before the outputs of ${run.label} were closed`);
    for (const sink of sinks) outputs.push(...(await sink.close()));
    sinks.length = 0;
    return {
      ...train.totals(),
      predictors: results,
      test: test?.totals(),
      generator: generator.statistics?.() ?? {},
      outputs,
      seconds: { build: (streamStarted - started) / 1000, stream: (performance.now() - streamStarted) / 1000 },
    };
  } finally {
    await Promise.all(sinks.map((sink) => sink.abort()));
    for (const stage of closables) await stage.close?.();
  }
}
