import { Command, CommanderError } from 'commander';
import { ExitCode, isKolmoError } from '@kolmo/core';
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
  130  interrupted (Ctrl-C); no partial output is left`;

/** The `kolmo` command. Returns the exit code instead of exiting, so tests can call it in-process. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command('kolmo')
    .description('kolmo: study language models as compressors, with declarative pipelines')
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
      process.stderr.write(`kolmo: ${error.message}\n`);
      for (const detail of error.details.slice(1)) process.stderr.write(`  ${detail}\n`);
      return error.exitCode;
    }
    process.stderr.write(`kolmo: unexpected error: ${(error as Error)?.stack ?? error}\n`);
    return ExitCode.failed;
  }
}
