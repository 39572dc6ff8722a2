import { stageModule } from '@kolmo/core';
import { acquisitionSink } from './acquisition-sink.ts';
import { qaProbesSink } from './qa-probes-sink.ts';

export { acquisitionSink, pointColumns, type AcquisitionConfig } from './acquisition-sink.ts';
export { qaProbesSink, type QaProbesConfig } from './qa-probes-sink.ts';
export { AcquisitionTally } from './acquisition-tally.ts';
export { CheckpointGrid } from './checkpoint-grid.ts';
export { frequencyBin, frequencyBinOf, binColumns, type FrequencyBin } from './frequency-bins.ts';
export { writeAnalysisTable, arrowPathOf, type AnalysisRow } from './analysis-table.ts';
export { answerByBits, answerProbes, canAnswer, type AnsweringPredictor, type QaAnswer } from './qa-scoring.ts';
export { qaRows, type QaMode } from './qa-tally.ts';
export { sumBySlot, type SlotSums } from './slot-sums.ts';

/** The analysis stages, registered through the same plugin mechanism as any other. */
export default stageModule(acquisitionSink, qaProbesSink);
