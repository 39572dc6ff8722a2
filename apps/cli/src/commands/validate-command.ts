import { Command } from 'commander';
import { reportSectionOf } from '@kolmo/report';
import { stringify } from 'yaml';
import { loadSpecWithBuiltins } from './load.ts';

export function validateCommand(): Command {
  return new Command('validate')
    .description('check a spec (envelope, every component of every sweep point) without running it')
    .argument('<spec>', 'pipeline spec, YAML or JSON')
    .option('--json', 'print the result as JSON')
    .option('--print', 'print the resolved spec (every `extends:` base merged in) as YAML, after checking it')
    .action(async (specFile: string, options: { json?: boolean; print?: boolean }) => {
      const loaded = await loadSpecWithBuiltins(specFile);
      const report = reportSectionOf(loaded.source); // the report section is checked too
      if (options.print) {
        process.stdout.write(stringify(loaded.source.value));
        return;
      }
      const summary = {
        spec: specFile,
        valid: true,
        runs: loaded.runs.length,
        predictors: loaded.runs[0].predictors.map((p) => p.name),
        plugins: loaded.registry.plugins.map((p) => p.name),
        reportPlots: report?.plots.length ?? 0,
      };
      if (options.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
      else process.stdout.write(`${specFile} is valid: ${summary.runs} run(s), predictors: ${summary.predictors.join(', ') || '(none)'}\n`);
    });
}
