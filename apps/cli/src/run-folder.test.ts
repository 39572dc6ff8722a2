import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lockFileName, loadSpec, runLoadedSpec } from '@kolmo/core';
import { builtinPlugins } from './builtins.ts';
import { filesUnder, fixtures, kolmo, temporaryFolder } from './cli-harness.ts';

const bin = join(import.meta.dirname, '../bin/kolmo.mjs');
const plugin = join(fixtures, '../../../packages/core/fixtures/local-plugin');

/** The id of a process that has exited (so no process has it now, barring reuse within the test). */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!;
}

function countingSpec(dir: string, name: string, body: string): string {
  const spec = join(dir, `${name}.yaml`);
  writeFileSync(spec, `plugins: [${plugin}]\n${body}`);
  return spec;
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('the run folder', () => {
  it('refuses a second writer while the first runs, naming it', async () => {
    const dir = temporaryFolder();
    const slow = countingSpec(dir, 'slow', 'pipeline:\n  generator: { type: counting, documents: 100000 }\n  tokenizer: { type: bytes }\n  predictors: [{ type: adaptive-bytes }]\n  sinks: [{ type: lines, path: bits.txt, delayMs: 20 }]\n');
    const out = join(dir, 'out');
    const first = spawn(process.execPath, [bin, 'run', slow, '--out', out, '--quiet'], { stdio: 'ignore' });
    const exited = new Promise((resolve) => first.on('exit', resolve));
    try {
      for (let i = 0; i < 600 && !existsSync(join(out, lockFileName)); i++) await new Promise((r) => setTimeout(r, 25));
      const second = await kolmo('run', join(fixtures, 'counting.yaml'), '--out', out, '--quiet');
      expect(second.code).toBe(6);
      expect(second.stderr).toContain('in use by another kolmo run');
      expect(second.stderr).toContain(`pid ${first.pid}`);
    } finally {
      first.kill('SIGINT');
      await exited;
    }
    expect(filesUnder(out)).toEqual([]); // the refused run touched nothing, the interrupted one removed its own
  }, 60_000);

  it('takes over the lock and removes the partial files of a process that died', async () => {
    const out = temporaryFolder();
    const pid = deadPid();
    writeFileSync(join(out, lockFileName), JSON.stringify({ pid, host: hostname(), started: '2026-01-01T00:00:00Z' }));
    writeFileSync(join(out, `.bits.txt.partial-${pid}`), 'half a file');
    const { code, stderr } = await kolmo('run', join(fixtures, 'counting.yaml'), '--out', out, '--quiet');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(filesUnder(out).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('writes a completion marker last, naming the manifests and tables with their digests; the table names its manifests', async () => {
    const out = temporaryFolder();
    expect((await kolmo('run', join(fixtures, 'counting-sweep.yaml'), '--out', out, '--quiet')).code).toBe(0);
    const marker = JSON.parse(readFileSync(join(out, 'run-complete.json'), 'utf8'));
    const table = JSON.parse(readFileSync(join(out, 'metrics-table.json'), 'utf8'));
    expect(table.manifests.map((m: { path: string }) => m.path)).toEqual(['documents=30,seed=1', 'documents=30,seed=2', 'documents=60,seed=1', 'documents=60,seed=2'].map((l) => `${l}/manifest.json`));
    for (const m of marker.runs) expect(m.sha256).toBe(sha256(join(out, m.path)));
    // the table names paths only (a manifest holds timings: its digest would make the table differ run to run)
    expect(marker.runs.map(({ label, path }: { label: string; path: string }) => ({ label, path }))).toEqual(table.manifests);
    expect(marker.files).toEqual([{ path: 'metrics-table.json', sha256: sha256(join(out, 'metrics-table.json')) }]);
    const marked = statSync(join(out, 'run-complete.json')).mtimeMs;
    for (const file of filesUnder(out)) expect(statSync(join(out, file)).mtimeMs).toBeLessThanOrEqual(marked);
    expect((await kolmo('report', out, '--quiet')).stderr).not.toContain('warning');
  });

  it("refuses a folder holding another spec's results; --force replaces them and leaves none of the old files", async () => {
    const dir = temporaryFolder();
    const out = join(dir, 'out');
    const old = countingSpec(dir, 'old', 'pipeline:\n  generator: { type: counting, documents: 40 }\n  tokenizer: { type: bytes }\n  predictors: [{ type: adaptive-bytes }]\n  sinks: [{ type: lines, path: old-bits.txt }]\n');
    const next = countingSpec(dir, 'next', 'pipeline:\n  generator: { type: counting, documents: 50 }\n  tokenizer: { type: bytes }\n  predictors: [{ type: adaptive-bytes }]\n  sinks: [{ type: lines, path: bits.txt }]\n');
    expect((await kolmo('run', old, '--out', out, '--quiet')).code).toBe(0);
    expect((await kolmo('run', old, '--out', out, '--quiet')).code).toBe(0); // the same spec again: fine
    const refused = await kolmo('run', next, '--out', out, '--quiet');
    expect(refused.code).toBe(6);
    expect(refused.stderr).toContain('holds results of another spec');
    expect(refused.stderr).toContain('--force');
    expect(existsSync(join(out, 'old-bits.txt'))).toBe(true); // untouched
    expect((await kolmo('run', next, '--out', out, '--quiet', '--force')).code).toBe(0);
    expect(filesUnder(out).sort()).toEqual(['bits.txt', 'manifest.json', 'metrics-table.json', 'metrics.json', 'run-complete.json']);
  });

  it('--resume reruns only the points whose manifest is missing or does not match the spec', async () => {
    const dir = temporaryFolder();
    const out = join(dir, 'out');
    const sweep = (documents: string) => countingSpec(dir, 'sweep', `seed: 3\nsweep: { documents: [${documents}] }\npipeline:\n  generator: { type: counting, documents: \${documents} }\n  tokenizer: { type: bytes }\n  predictors: [{ type: adaptive-bytes }]\n  sinks: [{ type: lines, path: bits.txt }]\n`);
    const spec = sweep('20, 30, 40');
    const first = await kolmo('run', spec, '--out', out, '--json');
    const reference = readFileSync(join(out, 'metrics-table.json'));
    const started = (label: string) => JSON.parse(readFileSync(join(out, label, 'manifest.json'), 'utf8')).started;
    const before = { 20: started('documents=20'), 40: started('documents=40') };
    unlinkSync(join(out, 'documents=30', 'manifest.json')); // as an interrupted run leaves a point
    const resumed = await kolmo('run', spec, '--out', out, '--resume', '--json');
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout).metrics).toEqual(JSON.parse(first.stdout).metrics);
    expect(JSON.parse(readFileSync(join(out, 'metrics-table.json'), 'utf8')).rows).toEqual(JSON.parse(reference.toString()).rows);
    expect(started('documents=20')).toBe(before[20]); // kept
    expect(started('documents=40')).toBe(before[40]);
    expect(existsSync(join(out, 'documents=30', 'manifest.json'))).toBe(true); // rerun
    // a point whose settings changed is rerun too; points the spec no longer has are another spec's
    writeFileSync(spec, readFileSync(spec, 'utf8').replace('seed: 3', 'seed: 4'));
    const reseeded = await kolmo('run', spec, '--out', out, '--resume', '--json');
    expect(reseeded.code).toBe(0);
    expect(started('documents=20')).not.toBe(before[20]);
    const fewer = sweep('20, 30');
    expect((await kolmo('run', fewer, '--out', out, '--resume', '--quiet')).code).toBe(6);
  });

  it('removes the completion marker and tables before redoing runs, so an interrupted rerun never looks complete', async () => {
    const out = temporaryFolder();
    const loaded = await loadSpec({ specFile: join(fixtures, 'counting-sweep.yaml'), builtins: builtinPlugins });
    await runLoadedSpec(loaded, { outDir: out });
    expect(existsSync(join(out, 'run-complete.json'))).toBe(true);
    const controller = new AbortController();
    const rerun = runLoadedSpec(loaded, { outDir: out, signal: controller.signal, onProgress: (p) => p.run === 2 && controller.abort() });
    await expect(rerun).rejects.toThrow(/interrupted/);
    for (const name of ['run-complete.json', 'metrics-table.json']) expect(existsSync(join(out, name))).toBe(false);
    expect(filesUnder(out).filter((f) => f.startsWith('documents=60,seed=1/'))).toEqual([]);
    expect((await kolmo('report', out, '--quiet')).stderr).toContain('warning');
  });
});
