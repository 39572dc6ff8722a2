export { main } from './main.ts';
export { builtinPlugins } from './builtins.ts';
export { sweepThreadOptions } from './sweep-thread-options.ts';
