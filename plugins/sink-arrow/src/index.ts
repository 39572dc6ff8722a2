import { stageModule } from '@kolmo/core';
import { arrowIpcSink } from './arrow-ipc-sink.ts';

export { arrowIpcSink };

/** The Arrow IPC sink, registered like any third-party plugin. */
export default stageModule(arrowIpcSink);
