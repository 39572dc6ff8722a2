import type { Rng } from '../random/rng.ts';

/** Logs from a stage; the CLI decides where they go (stderr, or nowhere with --json). */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
}

/**
 * What every stage factory receives. Randomness comes only from `rng(name)`: its stream depends on the spec
 * seed, the run's sweep point and the name, never on scheduling, so sweeps are reproducible in any order.
 */
export interface StageContext {
  /** The run folder: sinks resolve relative paths against it. */
  readonly runDir: string;
  /** The folder of the spec file: inputs (text files, local plugins) resolve relative paths against it. */
  readonly specDir: string;
  /** The run's sweep point (empty without a sweep). */
  readonly point: Readonly<Record<string, unknown>>;
  /** The run's root seed (derived from the spec seed and the sweep point). */
  readonly seed: number;
  rng(stream: string): Rng;
  readonly signal: AbortSignal;
  readonly log: Logger;
  /**
   * A folder where a stage may keep a cache of expensive, deterministic work (the `llm` stage's scored
   * documents), shared by the runs of a spec; undefined when caching is off (`kolmo run --no-cache`).
   */
  readonly cacheDir?: string;
  /**
   * Builds a nested component (a prior inside a generator, a backend inside a predictor) from its config,
   * validated against the schema its plugin contributed; `path` names it in errors.
   */
  create<K extends NestedKind>(kind: K, config: { type: string }, path: string): Promise<ComponentOf<K>>;
  /** The stages built before this one in the same run (a tokenizer may read the generator's word lists). */
  readonly upstream: Upstream;
}

export interface Upstream {
  readonly generator?: import('./generator.ts').Generator;
  readonly tokenizer?: import('./tokenizer.ts').Tokenizer;
  /** The run's predictors by name (sinks that analyse predictor state, e.g. at checkpoints, read them). */
  readonly predictors?: ReadonlyMap<string, import('./predictor.ts').Predictor>;
}

export type NestedKind = 'prior' | 'llm-backend';
export type ComponentOf<K extends NestedKind> = K extends 'prior'
  ? import('./prior.ts').Prior
  : import('./llm-backend.ts').LogProbBackend;
