import { Command, Option } from 'commander';
import { KolmoError, runLoadedSpec, throwIfInterrupted } from '@kolmo/core';
import { reportSectionOf } from '@kolmo/report';
import { ProgressDisplay } from '../progress-display.ts';
import { sweepThreadOptions } from '../sweep-thread-options.ts';
import { formatSummary } from '../run-summary.ts';
import { loadSpecWithBuiltins } from './load.ts';
import { renderRunReport } from './report-command.ts';

export function runCommand(): Command {
  return new Command('run')
    .description('run a pipeline spec: every sweep point, its outputs, metrics and manifest in the run folder')
    .argument('<spec>', 'pipeline spec, YAML or JSON')
    .option('-o, --out <dir>', "output folder (default: the spec's `output`, else runs/<name>)")
    .addOption(new Option('-c, --concurrency <n>', "sweep runs in flight at once (default: the spec's)").argParser(positiveInt))
    .option('--resume', 'rerun only the sweep points whose manifest is missing or does not match the spec; keep the rest')
    .option('--force', "replace another spec's results found in the output folder (refused without it)")
    .option('--cache-dir <dir>', 'where stages cache expensive deterministic work, e.g. the llm predictor\'s scored documents (default: <out>/.cache)')
    .option('--no-cache', 'use no cache: score everything again and keep nothing (the llm predictor asks its backend for every document)')
    .option('--json', 'print the summary as JSON on stdout (no progress bar)')
    .option('-q, --quiet', 'no progress bar and no summary')
    .action(async (specFile: string, options: { out?: string; concurrency?: number; resume?: boolean; force?: boolean; json?: boolean; quiet?: boolean; cache: boolean; cacheDir?: string }) => {
      const loaded = await loadSpecWithBuiltins(specFile);
      const report = reportSectionOf(loaded.source); // checked before any run
      const controller = new AbortController();
      const progress = new ProgressDisplay(options.json || options.quiet ? 'off' : process.stderr.isTTY ? 'terminal' : 'plain');
      let interrupts = 0;
      // Ctrl-C: stop cleanly (sinks abort, partial files go), a second one quits at once. SIGTERM (a supervisor,
      // `kill`) asks for the same clean stop and is told apart in the message; no one types it twice.
      const onSignal = (name: NodeJS.Signals) => {
        progress.stop();
        interrupts++;
        if (interrupts === 1) {
          process.stderr.write(name === 'SIGINT' ? '\nkolmo: stopping (Ctrl-C again to quit at once)…\n' : `kolmo: ${name} received, stopping…\n`);
          controller.abort();
        } else if (name === 'SIGINT') process.exit(130);
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      try {
        const result = await runLoadedSpec(loaded, {
          outDir: options.out,
          concurrency: options.concurrency,
          resume: options.resume,
          threads: sweepThreadOptions(),
          force: options.force,
          cacheDir: options.cache ? options.cacheDir : false,
          signal: controller.signal,
          log: { info: (m) => !options.json && !options.quiet && progress.log(m), warn: (m) => progress.log(`warning: ${m}`) },
          onProgress: (p) => progress.update(p),
          onRunFinished: (run, runs) => progress.runFinished(run, runs),
        });
        progress.stop();
        if (options.json) process.stdout.write(`${JSON.stringify({ name: loaded.name, ...result })}\n`);
        else if (!options.quiet) process.stdout.write(formatSummary(loaded.name, result));
        throwIfInterrupted(controller.signal, 'before the report');
        if (report) await renderRunReport(result.outDir, report, loaded.source, loaded.name, !options.json && !options.quiet);
      } catch (error) {
        progress.stop();
        if (controller.signal.aborted && !(error instanceof KolmoError && error.kind !== 'interrupted')) {
          throw new KolmoError('interrupted', 'interrupted: the run was stopped; partial outputs were removed');
        }
        throw error;
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new KolmoError('usage', `--concurrency expects a positive integer, got "${value}"`);
  return n;
}
