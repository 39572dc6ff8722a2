/**
 * The benchmark runner behind `npm run bench`: each `*.bench.ts` beside this file is a script that prints its
 * figures (speed targets are shown here, never asserted in tests). Each runs in a child process of its own, so
 * one benchmark's heap and JIT state do not colour the next one's figures.
 *
 *   npm run bench                      lists the benchmarks with their one-line summaries
 *   npm run bench -- <name> [args…]    runs one (e.g. `npm run bench -- ngram --tokens 1e6`)
 *   npm run bench -- all               runs every one in turn, with its default arguments
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const here = import.meta.dirname;
const benches = readdirSync(here)
  .filter((file) => file.endsWith('.bench.ts'))
  .map((file) => ({ name: file.slice(0, -'.bench.ts'.length), file: join(here, file) }))
  .sort((a, b) => a.name.localeCompare(b.name));

/** The first sentence of a benchmark's leading doc comment. */
function summaryOf(file: string): string {
  const comment = /\/\*\*([\s\S]*?)\*\//.exec(readFileSync(file, 'utf8'))?.[1] ?? '';
  const text = comment
    .split('\n')
    .map((line) => line.replace(/^\s*\*\s?/, '').trim())
    .filter((line) => line !== '')
    .join(' ');
  return (/^(.*?[.:])(\s|$)/.exec(text)?.[1] ?? text).slice(0, 140);
}

function run(file: string, args: readonly string[]): number {
  const result = spawnSync(process.execPath, ['--import', 'tsx', file, ...args], { stdio: 'inherit' });
  return result.status ?? 1;
}

const [name, ...args] = process.argv.slice(2);
if (name === undefined || name === '--list' || name === '--help') {
  console.log('benchmarks (npm run bench -- <name> [args…], or all):');
  for (const bench of benches) console.log(`  ${bench.name.padEnd(20)} ${summaryOf(bench.file)}`);
} else if (name === 'all') {
  let failed = 0;
  for (const bench of benches) {
    console.log(`\n== ${bench.name}`);
    if (run(bench.file, args) !== 0) failed++;
  }
  process.exitCode = failed > 0 ? 1 : 0;
} else {
  const bench = benches.find((b) => b.name === name);
  if (!bench) {
    console.error(`no benchmark "${name}"; known: ${benches.map((b) => b.name).join(', ')}`);
    process.exitCode = 2;
  } else {
    process.exitCode = run(bench.file, args);
  }
}
