import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExitCode, isKolmoError, isOutputErrno, outputError, type KolmoError } from '@kolmo/core';
import { compressCommand, decompressCommand } from './commands/compress-command.ts';
import { newCommand } from './commands/new-command.ts';
import { pluginsCommand } from './commands/plugins-command.ts';
import { reportCommand } from './commands/report-command.ts';
import { runCommand } from './commands/run-command.ts';
import { schemaCommand } from './commands/schema-command.ts';
import { validateCommand } from './commands/validate-command.ts';

const exitCodes = `
Exit codes:
  0    success
  1    the run failed (an error inside a stage)
  2    bad command-line usage
  3    invalid spec (malformed YAML, unknown type or field, bad value)
  4    a plugin failed to load or register
  5    bad input (missing file, invalid UTF-8, corrupted or mismatched compressed file)
  6    output not writable
  130  interrupted (Ctrl-C or SIGTERM); no partial output is left`;

/** The version of this kolmo (the CLI package's). */
function cliVersion(): string {
  return (JSON.parse(readFileSync(join(import.meta.dirname, '../package.json'), 'utf8')) as { version: string }).version;
}

/** One problem on one line; several as a count and one indented line each (a detail's own lines indented too). */
export function formatKolmoError(error: KolmoError): string {
  const problems = error.details.length > 1 ? error.details : [error.message];
  if (problems.length === 1) return `kolmo: ${problems[0].split('\n').join('\n  ')}\n`;
  const lines = problems.flatMap((problem) => problem.split('\n'));
  return `kolmo: ${lines.length} problems:\n${lines.map((line) => `  - ${line}`).join('\n')}\n`;
}

/** The `kolmo` command. Returns the exit code instead of exiting, so tests can call it in-process. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command('kolmo')
    .description('kolmo: study language models as compressors, with declarative pipelines')
    .version(cliVersion(), '-V, --version', 'print the kolmo version')
    .showHelpAfterError()
    .exitOverride()
    .addHelpText('after', exitCodes);
  for (const command of [runCommand(), validateCommand(), pluginsCommand(), schemaCommand(), compressCommand(), decompressCommand(), reportCommand(), newCommand()]) program.addCommand(command.exitOverride().showHelpAfterError());
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : ExitCode.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    if (isKolmoError(error)) {
      if (argv.includes('--json')) {
        // asked for machine output: the error is machine output too
        process.stdout.write(`${JSON.stringify({ error: { kind: error.kind, exitCode: error.exitCode, message: error.message, details: error.details } })}\n`);
        return error.exitCode;
      }
      process.stderr.write(formatKolmoError(error));
      return error.exitCode;
    }
    if (isOutputErrno(error)) {
      const failure = outputError('an output could not be written', error);
      process.stderr.write(`kolmo: ${failure.message}: ${(error as Error).message}\n`);
      return failure.exitCode;
    }
    process.stderr.write(`kolmo: unexpected error: ${(error as Error)?.stack ?? error}\n`);
    return ExitCode.failed;
  }
}
