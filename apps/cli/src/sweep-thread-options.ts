import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SweepThreadOptions } from '@kolmo/core';

/**
 * How kolmo's sweep worker threads import its sources: from TypeScript (bin/kolmo.mjs registers tsx in the main
 * thread only) each worker registers tsx itself; built JavaScript needs nothing.
 */
export function sweepThreadOptions(): SweepThreadOptions {
  if (!import.meta.url.endsWith('.ts')) return {};
  const tsx = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  return {
    typescriptLoader: pathToFileURL(join(tsx, 'dist/esm/api/index.mjs')).href,
    resolveHook: new URL('../bin/source-condition.mjs', import.meta.url).href,
  };
}
