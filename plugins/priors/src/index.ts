import { stageModule } from '@kolmo/core';
import { dirichletProcessPrior } from './dirichlet-process-prior.ts';
import { finiteDirichletPrior } from './finite-dirichlet-prior.ts';
import { uniformPrior } from './uniform-prior.ts';
import { zipfMandelbrotPrior } from './zipf-mandelbrot-prior.ts';

export * from './dirichlet-process-prior.ts';
export * from './finite-dirichlet-prior.ts';
export * from './fixed-weights-prior.ts';
export * from './zipf-mandelbrot-prior.ts';
export * from './uniform-prior.ts';

/** Alternative knowledge priors (theory §2), each a `prior` stage with the same interface as the built-in Pitman–Yor. */
export default stageModule(dirichletProcessPrior, finiteDirichletPrior, zipfMandelbrotPrior, uniformPrior);
