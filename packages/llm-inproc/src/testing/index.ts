export * from './reference-llama.ts';
export * from './lm-fixtures.ts';
