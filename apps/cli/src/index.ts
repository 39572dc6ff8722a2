export { main } from './main.ts';
export { builtinPlugins } from './builtins.ts';
