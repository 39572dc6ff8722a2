/**
 * Sweep points on worker threads: examples/data-scaling.yaml at its default size (42 runs) with concurrency 1
 * and 2, in one process, each into a fresh folder. Prints wall time, CPU time (all threads) and the load average
 * around each, the speed-up (goal ≥ 1.7 on 2 free cores), and whether every output file is byte-identical
 * (manifests differ only in their timings and are compared without them).
 *
 *   npx tsx tools/bench/src/sweep-concurrency.bench.ts [--spec examples/data-scaling.yaml] [--concurrency 1,2]
 *
 * On a machine shared with other work the speed-up falls short of the cores' count: read it with the load average.
 */
import { readdirSync, readFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadSpec, runLoadedSpec } from '@kolmo/core';
import { builtinPlugins, sweepThreadOptions } from '@kolmo/cli';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i].replace(/^--/, ''), process.argv[i + 1]);
const specFile = resolve(args.get('spec') ?? join(import.meta.dirname, '../../../examples/data-scaling.yaml'));
const levels = (args.get('concurrency') ?? '1,2').split(',').map(Number);

const loaded = await loadSpec({ specFile, builtins: builtinPlugins });
console.log(`sweep concurrency: ${specFile} (${loaded.runs.length} runs); ${availableParallelism()} cores; load average before: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log('concurrency  wall s    CPU s (all threads)  CPU/wall  load avg (1 min) after');
const folders: string[] = [];
const walls: number[] = [];
try {
  for (const concurrency of levels) {
    const out = mkdtempSync(join(tmpdir(), 'kolmo-bench-sweep-'));
    folders.push(out);
    const cpu = process.cpuUsage();
    const started = performance.now();
    await runLoadedSpec(loaded, { outDir: out, concurrency, threads: sweepThreadOptions() });
    const wall = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const cpuSeconds = (used.user + used.system) / 1e6;
    walls.push(wall);
    console.log(`${String(concurrency).padEnd(13)}${wall.toFixed(2).padEnd(10)}${cpuSeconds.toFixed(2).padEnd(21)}${(cpuSeconds / wall).toFixed(2).padEnd(10)}${loadavg()[0].toFixed(2)}`);
  }
  for (let i = 1; i < levels.length; i++) console.log(`speed-up of -c ${levels[i]} over -c ${levels[0]}: ${(walls[0] / walls[i]).toFixed(2)}`);
  const differing = folders.slice(1).flatMap((folder) => compareFolders(folders[0], folder));
  console.log(differing.length ? `outputs DIFFER: ${differing.slice(0, 10).join(', ')}` : `outputs identical: every file of ${files(folders[0]).length} byte-identical (manifests without timings)`);
} finally {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
}

function files(dir: string, prefix = ''): string[] {
  return readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? files(join(dir, name), `${prefix}${name}/`) : [`${prefix}${name}`]));
}

/** Files that differ between two output folders; manifests and tables compared without timings and digests. */
function compareFolders(a: string, b: string): string[] {
  const names = files(a);
  const other = new Set(files(b));
  const differing = names.filter((name) => !other.has(name));
  for (const name of names.filter((n) => other.has(n))) {
    const [x, y] = [readFileSync(join(a, name)), readFileSync(join(b, name))];
    const comparable = (text: Buffer, file: string) => {
      if (file.endsWith('manifest.json')) {
        const { started: _s, seconds: _t, ...rest } = JSON.parse(text.toString());
        return JSON.stringify(rest);
      }
      if (file.endsWith('metrics-table.json')) return JSON.stringify(JSON.parse(text.toString()).rows);
      if (file.endsWith('run-complete.json')) return '';
      return text.toString('base64');
    };
    if (comparable(x, name) !== comparable(y, name)) differing.push(name);
  }
  return differing;
}
