import { stageModule } from '@kolmo/core';
import { learningCurveSink } from './learning-curve-sink.ts';
import { structureFunctionFitter } from './structure-function-fitter.ts';
import { tableJointLawFitter, tablePowerLawFitter } from './table-fitters.ts';

export { learningCurveSink, type LearningCurveConfig } from './learning-curve-sink.ts';
export { tablePowerLawFitter, tableJointLawFitter, gatherRuns } from './table-fitters.ts';
export { structureFunctionFitter } from './structure-function-fitter.ts';
export { CheckpointGrid, increasingSteps } from './checkpoint-grid.ts';
export { frequencyBin, frequencyBinOf, binColumns, type FrequencyBin } from './frequency-bins.ts';
export { writeAnalysisTable, arrowPathOf, type AnalysisRow } from './analysis-table.ts';
export { sumBySlot, type SlotSums } from './slot-sums.ts';
export { pointColumns } from './point-columns.ts';
export { predictorSelection } from './predictor-selection.ts';

/** The generic analysis stages (model-specific sinks live with their model), registered through the same plugin mechanism as any other. */
export default stageModule(learningCurveSink, tablePowerLawFitter, tableJointLawFitter, structureFunctionFitter);
