import { Command } from 'commander';
import { loadPlugins, specJsonSchema, writeFileAtomic, z } from '@kolmo/core';
import { reportSpec } from '@kolmo/report';
import { builtinPlugins } from '../builtins.ts';
import { loadSpecWithBuiltins } from './load.ts';

export function schemaCommand(): Command {
  return new Command('schema')
    .description('print the JSON Schema of pipeline specs (for editor completion), covering every loaded stage type')
    .option('--spec <file>', "also include the plugins this spec names")
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .action(async (options: { spec?: string; output?: string }) => {
      const registry = options.spec ? (await loadSpecWithBuiltins(options.spec)).registry : await loadPlugins(builtinPlugins);
      const schema = specJsonSchema(registry) as { properties: Record<string, unknown> };
      const { $schema: _, ...report } = z.toJSONSchema(reportSpec, { io: 'input', unrepresentable: 'any' });
      schema.properties.report = report; // the report section's own schema, nested
      const text = `${JSON.stringify(schema, null, 2)}\n`;
      if (options.output) await writeFileAtomic(options.output, text);
      else process.stdout.write(text);
    });
}
