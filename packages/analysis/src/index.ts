import { stageModule } from '@kolmo/core';
import { acquisitionSink } from './acquisition-sink.ts';
import { learningCurveSink } from './learning-curve-sink.ts';
import { qaProbesSink } from './qa-probes-sink.ts';
import { structureFunctionFitter } from './structure-function-fitter.ts';
import { twoPhaseGenerator } from './two-phase-generator.ts';
import { tableJointLawFitter, tablePowerLawFitter } from './table-fitters.ts';

export { acquisitionSink, pointColumns, type AcquisitionConfig } from './acquisition-sink.ts';
export { qaProbesSink, type QaProbesConfig } from './qa-probes-sink.ts';
export { learningCurveSink, type LearningCurveConfig } from './learning-curve-sink.ts';
export { tablePowerLawFitter, tableJointLawFitter, gatherRuns } from './table-fitters.ts';
export { structureFunctionFitter } from './structure-function-fitter.ts';
export { twoPhaseGenerator, type TwoPhaseConfig } from './two-phase-generator.ts';
export { RestrictedTemplates } from './restricted-templates.ts';
export { AcquisitionTally } from './acquisition-tally.ts';
export { CheckpointGrid } from './checkpoint-grid.ts';
export { frequencyBin, frequencyBinOf, binColumns, type FrequencyBin } from './frequency-bins.ts';
export { writeAnalysisTable, arrowPathOf, type AnalysisRow } from './analysis-table.ts';
export { answerByBits, answerProbes, canAnswer, type AnsweringPredictor, type QaAnswer } from './qa-scoring.ts';
export { qaRows, type QaMode, type QaSubset } from './qa-tally.ts';
export { sumBySlot, type SlotSums } from './slot-sums.ts';

/** The analysis stages, registered through the same plugin mechanism as any other. */
export default stageModule(acquisitionSink, qaProbesSink, learningCurveSink, tablePowerLawFitter, tableJointLawFitter, structureFunctionFitter, twoPhaseGenerator);
