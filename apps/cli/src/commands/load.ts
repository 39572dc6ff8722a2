import { loadSpec, type LoadedSpec } from '@kolmo/core';
import { builtinPlugins } from '../builtins.ts';

export function loadSpecWithBuiltins(specFile: string): Promise<LoadedSpec> {
  return loadSpec({ specFile, builtins: builtinPlugins });
}
