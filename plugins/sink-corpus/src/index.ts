import { stageModule } from '@kolmo/core';
import { jsonlSink } from './jsonl-sink.ts';
import { tokenBinarySink } from './token-binary-sink.ts';

export { jsonlSink, tokenBinarySink };
export { tokenBinaryFiles, type TokenBinaryHeader } from './token-binary-sink.ts';
export { HeldOutSplit, type HeldOutChoice, type HeldOutOptions } from './held-out-split.ts';

/** The corpus export sinks, registered like any third-party plugin. */
export default stageModule(jsonlSink, tokenBinarySink);
