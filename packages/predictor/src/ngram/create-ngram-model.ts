import type { Rng } from '@kolmo/core';
import { KneserNeyModel, type KneserNeyOptions } from './kneser-ney-model.ts';
import type { NgramModel } from './ngram-model.ts';
import { PitmanYorModel, type PitmanYorOptions } from './pitman-yor-model.ts';

/** A fully resolved n-gram model description: the smoothing method and its parameters. */
export type NgramModelOptions =
  | ({ readonly smoothing: 'kneser-ney' } & KneserNeyOptions)
  | ({ readonly smoothing: 'pitman-yor' } & PitmanYorOptions);

/**
 * A fresh model in its initial state. `rng` is needed by sampled Pitman–Yor seating (give each model its own
 * Rng, started from the same state, when two models must stay identical); `trackChildren` enables `distribution`.
 */
export function createNgramModel(options: NgramModelOptions, build: { rng?: Rng; trackChildren?: boolean } = {}): NgramModel {
  return options.smoothing === 'kneser-ney' ? new KneserNeyModel(options, build) : new PitmanYorModel(options, build);
}
