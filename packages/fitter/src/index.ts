import { stageModule } from '@kolmo/core';
import { jointLawFitter } from './joint-law-stage.ts';
import { powerLawFitter } from './power-law-stage.ts';

export * from './least-squares.ts';
export * from './nnls.ts';
export * from './nelder-mead.ts';
export * from './bfgs.ts';
export * from './brent-minimize.ts';
export * from './variable-projection.ts';
export * from './saturating-power-law.ts';
export * from './joint-power-law.ts';
export * from './chinchilla-fit.ts';
export * from './bootstrap.ts';
export * from './goodness-of-fit.ts';
export * from './scaling-law-report.ts';
export * from './power-law-analysis.ts';
export * from './joint-law-analysis.ts';
export * from './pitman-yor-mle.ts';
export * from './hurwitz-zeta.ts';
export * from './discrete-power-law.ts';
export * from './heaps-exponent.ts';
export * from './metrics-selection.ts';
export { powerLawFitter, jointLawFitter };

/** The built-in fitters, registered through the same plugin mechanism as any other. */
export default stageModule(powerLawFitter, jointLawFitter);
