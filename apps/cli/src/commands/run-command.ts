import { Command, Option } from 'commander';
import { KolmoError, runLoadedSpec } from '@kolmo/core';
import { reportSectionOf } from '@kolmo/report';
import { ProgressDisplay } from '../progress-display.ts';
import { formatSummary } from '../run-summary.ts';
import { loadSpecWithBuiltins } from './load.ts';
import { renderRunReport } from './report-command.ts';

export function runCommand(): Command {
  return new Command('run')
    .description('run a pipeline spec: every sweep point, its outputs, metrics and manifest in the run folder')
    .argument('<spec>', 'pipeline spec, YAML or JSON')
    .option('-o, --out <dir>', "output folder (default: the spec's `output`, else runs/<name>)")
    .addOption(new Option('-c, --concurrency <n>', "sweep runs in flight at once (default: the spec's)").argParser(positiveInt))
    .option('--cache-dir <dir>', 'where stages cache expensive deterministic work, e.g. the llm predictor\'s scored documents (default: <out>/.cache)')
    .option('--no-cache', 'use no cache: score everything again and keep nothing (the llm predictor asks its backend for every document)')
    .option('--json', 'print the summary as JSON on stdout (no progress bar)')
    .option('-q, --quiet', 'no progress bar and no summary')
    .action(async (specFile: string, options: { out?: string; concurrency?: number; json?: boolean; quiet?: boolean; cache: boolean; cacheDir?: string }) => {
      const loaded = await loadSpecWithBuiltins(specFile);
      const report = reportSectionOf(loaded.source); // checked before any run
      const controller = new AbortController();
      let interrupts = 0;
      const onInterrupt = () => {
        interrupts++;
        if (interrupts === 1) {
          process.stderr.write('\nkolmo: stopping (Ctrl-C again to quit at once)…\n');
          controller.abort();
        } else process.exit(130);
      };
      process.on('SIGINT', onInterrupt);
      process.on('SIGTERM', onInterrupt);
      const progress = new ProgressDisplay(Boolean(process.stderr.isTTY) && !options.json && !options.quiet);
      try {
        const result = await runLoadedSpec(loaded, {
          outDir: options.out,
          concurrency: options.concurrency,
          cacheDir: options.cache ? options.cacheDir : false,
          signal: controller.signal,
          log: { info: (m) => !options.json && !options.quiet && process.stderr.write(`${m}\n`), warn: (m) => process.stderr.write(`warning: ${m}\n`) },
          onProgress: (p) => progress.update(p),
        });
        progress.stop();
        if (options.json) process.stdout.write(`${JSON.stringify({ name: loaded.name, ...result })}\n`);
        else if (!options.quiet) process.stdout.write(formatSummary(loaded.name, result));
        if (report) await renderRunReport(result.outDir, report, loaded.source, loaded.name, !options.json && !options.quiet);
      } catch (error) {
        progress.stop();
        if (controller.signal.aborted && !(error instanceof KolmoError && error.kind !== 'interrupted')) {
          throw new KolmoError('interrupted', 'interrupted: the run was stopped; partial outputs were removed');
        }
        throw error;
      } finally {
        process.off('SIGINT', onInterrupt);
        process.off('SIGTERM', onInterrupt);
      }
    });
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new KolmoError('usage', `--concurrency expects a positive integer, got "${value}"`);
  return n;
}
