import { dirname } from 'node:path';
import type { PluginSource } from '@kolmo/core';

/** Resolved from this app's folder, so an installed kolmo finds its own copies. */
const baseDir = dirname(import.meta.dirname);

/**
 * The stages every spec gets without naming a plugin: the core packages (the `llm` predictor among them; its
 * backends are plugins) and the sink plugins kolmo ships
 * (alternative priors, `@kolmo/plugin-priors`, are named in the specs that use them).
 * They register through the same mechanism as third-party plugins (a spec naming one again loads it once).
 */
export const builtinPlugins: readonly PluginSource[] = [
  '@kolmo/generator',
  '@kolmo/tokenizer',
  '@kolmo/predictor',
  '@kolmo/llm',
  '@kolmo/coder',
  '@kolmo/fitter',
  '@kolmo/analysis',
  '@kolmo/syntax-knowledge',
  '@kolmo/plugin-sink-arrow',
  '@kolmo/plugin-sink-parquet',
  '@kolmo/plugin-sink-corpus',
].map((name) => ({ name, baseDir }));
