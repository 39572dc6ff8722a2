export * from './backend-harness.ts';
export * from './fake-llm-server.ts';
export * from './word-piece-model.ts';
export * from './backend-conformance.ts';
