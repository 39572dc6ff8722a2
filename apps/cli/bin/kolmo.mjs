#!/usr/bin/env node
// kolmo runs from its TypeScript sources: tsx compiles them on the fly (no build step to forget).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
const { exitQuietlyOnBrokenPipe } = await import('../src/broken-pipe.ts');
exitQuietlyOnBrokenPipe();
process.exitCode = await main(process.argv.slice(2));
