import { Command } from 'commander';
import { loadPlugins, specJsonSchema, writeFileAtomic } from '@kolmo/core';
import { builtinPlugins } from '../builtins.ts';
import { loadSpecWithBuiltins } from './load.ts';

export function schemaCommand(): Command {
  return new Command('schema')
    .description('print the JSON Schema of pipeline specs (for editor completion), covering every loaded stage type')
    .option('--spec <file>', "also include the plugins this spec names")
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .action(async (options: { spec?: string; output?: string }) => {
      const registry = options.spec ? (await loadSpecWithBuiltins(options.spec)).registry : await loadPlugins(builtinPlugins);
      const text = `${JSON.stringify(specJsonSchema(registry), null, 2)}\n`;
      if (options.output) await writeFileAtomic(options.output, text);
      else process.stdout.write(text);
    });
}
