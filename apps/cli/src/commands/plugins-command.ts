import { Command } from 'commander';
import { loadPlugins, stageKinds, z, type StageRegistry } from '@kolmo/core';
import { builtinPlugins } from '../builtins.ts';
import { loadSpecWithBuiltins } from './load.ts';

export function pluginsCommand(): Command {
  return new Command('plugins')
    .description('list every stage type by kind, with its plugin, config fields and defaults')
    .option('--spec <file>', 'also load the plugins this spec names')
    .option('--json', 'print as JSON')
    .action(async (options: { spec?: string; json?: boolean }) => {
      const registry = options.spec ? (await loadSpecWithBuiltins(options.spec)).registry : await loadPlugins(builtinPlugins);
      const listing = describeStages(registry);
      if (options.json) {
        process.stdout.write(`${JSON.stringify(listing, null, 2)}\n`);
        return;
      }
      process.stdout.write('plugins\n');
      for (const plugin of registry.plugins) {
        const origin = plugin.packageName && plugin.packageName !== plugin.name ? `  (${plugin.packageName})` : '';
        process.stdout.write(`  ${plugin.name}@${plugin.version ?? '?'}${origin}  ${plugin.entry}\n`);
      }
      for (const kind of stageKinds) {
        const stages = listing.filter((stage) => stage.kind === kind);
        if (stages.length === 0) continue;
        process.stdout.write(`\n${kind}\n`);
        for (const stage of stages) {
          process.stdout.write(`  ${stage.type}  — ${stage.description}  [${stage.plugin}@${stage.pluginVersion ?? '?'}]\n`);
          for (const field of stage.fields) {
            const shown = field.default === undefined ? (field.required ? ' (required)' : '') : ` = ${JSON.stringify(field.default)}`;
            process.stdout.write(`      ${field.name}: ${field.shape}${shown}${field.description ? `  — ${field.description}` : ''}\n`);
          }
        }
      }
    });
}

interface FieldListing {
  name: string;
  shape: string;
  required: boolean;
  default?: unknown;
  description?: string;
}

/** Every stage type with its fields, read from the zod schema it contributed. */
export function describeStages(registry: StageRegistry) {
  return registry.all().map(({ descriptor, plugin }) => {
    const loaded = registry.plugins.find((candidate) => candidate.name === plugin);
    const json = z.toJSONSchema(descriptor.config, { io: 'input', unrepresentable: 'any' }) as {
      properties?: Record<string, { default?: unknown; description?: string; type?: string; enum?: unknown[] }>;
      required?: string[];
    };
    const fields: FieldListing[] = Object.entries(json.properties ?? {}).map(([name, field]) => ({
      name,
      shape: field.enum ? field.enum.map((v) => JSON.stringify(v)).join(' | ') : (field.type ?? 'object'),
      required: json.required?.includes(name) ?? false,
      default: field.default,
      description: field.description,
    }));
    const pluginPackage = loaded?.packageName;
    const pluginVersion = loaded?.version;
    return { kind: descriptor.kind, type: descriptor.type, description: descriptor.description, plugin, pluginPackage, pluginVersion, fields };
  });
}
