import { stageModule } from '@kolmo/core';
import { onnxBackend } from './onnx-backend.ts';

export * from './onnx-backend.ts';
export * from './onnx-engine.ts';

/** The `onnx` llm-backend: ONNX causal LMs in process (onnxruntime-node, CPU, single-threaded). */
export default stageModule(onnxBackend);
