#!/usr/bin/env node
// Installed from the registry (this file lies under node_modules), kolmo runs its compiled JavaScript with plain
// Node. Inside the kolmo workspace it runs from the TypeScript sources, so there is no build step to forget: tsx
// compiles them, and a resolve hook adds the `@kolmo/source` export condition so every workspace package
// resolves to its sources too.
import { register } from 'node:module';

const installed = import.meta.filename.split(/[\\/]/).includes('node_modules');
let entry;
let brokenPipe;
if (installed) {
  entry = await import('../dist/main.js');
  brokenPipe = await import('../dist/broken-pipe.js');
} else {
  const { register: registerTsx } = await import('tsx/esm/api');
  registerTsx();
  register('./source-condition.mjs', import.meta.url);
  entry = await import('../src/main.ts');
  brokenPipe = await import('../src/broken-pipe.ts');
}
brokenPipe.exitQuietlyOnBrokenPipe();
process.exitCode = await entry.main(process.argv.slice(2));
