import type { Coder } from '../contracts/coder.ts';
import type { Fitter } from '../contracts/fitter.ts';
import type { Generator } from '../contracts/generator.ts';
import type { LogProbBackend } from '../contracts/llm-backend.ts';
import type { Predictor } from '../contracts/predictor.ts';
import type { Prior } from '../contracts/prior.ts';
import type { Sink } from '../contracts/sink.ts';
import type { Tokenizer } from '../contracts/tokenizer.ts';

/** Every contribution point, and the object a contribution of that kind builds. */
export interface StageKinds {
  generator: Generator;
  tokenizer: Tokenizer;
  predictor: Predictor;
  coder: Coder;
  sink: Sink;
  fitter: Fitter;
  prior: Prior;
  'llm-backend': LogProbBackend;
}

export type StageKind = keyof StageKinds;

export const stageKinds: readonly StageKind[] = [
  'generator',
  'tokenizer',
  'predictor',
  'coder',
  'sink',
  'fitter',
  'prior',
  'llm-backend',
];
