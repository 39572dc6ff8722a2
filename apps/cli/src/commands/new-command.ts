import { Command } from 'commander';
import { scaffoldPlugin } from '../scaffold/scaffold-plugin.ts';
import { scaffoldKinds } from '../scaffold/plugin-stage-templates.ts';

/**
 * `kolmo new plugin`: a command of kolmo itself rather than an Nx generator, because plugin authors work in their
 * own repositories, where kolmo is installed and Nx usually is not.
 */
export function newCommand(): Command {
  const plugin = new Command('plugin')
    .description('write a plugin package: a working stage, its vitest test, README, build, lint and typecheck config')
    .argument('<name>', 'npm package name, e.g. kolmo-plugin-mine or @team/kolmo-plugin-mine (the stage type is the name without "kolmo-plugin-")')
    .requiredOption('--kind <kind>', `the stage kind: ${scaffoldKinds.join(' | ')}`)
    .option('--dir <folder>', 'where to write it (default: the name without its scope)')
    .action((name: string, options: { kind: string; dir?: string }) => {
      const { dir, type, files } = scaffoldPlugin({ name, kind: options.kind, dir: options.dir });
      process.stdout.write(`created ${name} (${options.kind} "${type}") in ${dir}:\n${files.map((file) => `  ${file}\n`).join('')}`);
      process.stdout.write(`next: cd ${dir} && npm install && npm test\n`);
    });
  return new Command('new').description('start something new: `kolmo new plugin <name> --kind <kind>`').addCommand(plugin.exitOverride().showHelpAfterError());
}
