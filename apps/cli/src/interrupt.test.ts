import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { filesUnder, fixtures, temporaryFolder } from './cli-harness.ts';

const bin = join(import.meta.dirname, '../bin/kolmo.mjs');
const plugin = join(fixtures, '../../../packages/core/fixtures/local-plugin');

const children: ReturnType<typeof spawn>[] = [];
// a test that failed must not leave its run computing in the background
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** `kolmo run` as a real child process, so real signals reach it. */
function startRun(spec: string, ...args: string[]) {
  const child = spawn(process.execPath, [bin, 'run', spec, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { child, exited, stderr: () => stderr };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 600 && !condition(); i++) await new Promise((r) => setTimeout(r, 25));
  if (!condition()) throw new Error(`timed out waiting for ${what}`);
}

describe('Ctrl-C', () => {
  it('stops the run, closes sinks and leaves no file that looks complete', async () => {
    const dir = temporaryFolder();
    const spec = join(dir, 'slow.yaml');
    writeFileSync(
      spec,
      `plugins: [${plugin}]
pipeline:
  generator: { type: counting, documents: 100000 }
  tokenizer: { type: bytes }
  predictors: [{ type: adaptive-bytes }]
  sinks: [{ type: lines, path: bits.txt, delayMs: 20 }]
`,
    );
    const out = join(dir, 'out');
    const run = startRun(spec, '--out', out);
    // wait until the sink has a partial file open, i.e. the run is streaming
    await until(() => filesUnder(out).some((f) => f.includes('.partial-')), 'a partial file');
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(130);
    expect(run.stderr()).toContain('interrupted');
    expect(filesUnder(out)).toEqual([]);
  }, 30_000);

  it('is honoured while a run streams without any file I/O (no sinks: the stream only awaited microtasks)', async () => {
    const dir = temporaryFolder();
    const spec = join(dir, 'busy.yaml');
    // about a minute of pure computation before the fix: it ran to the end and exited 0
    writeFileSync(
      spec,
      `plugins: [${plugin}]
pipeline:
  generator: { type: counting, documents: 5000000, perBatch: 50 }
  tokenizer: { type: bytes }
  predictors: [{ type: adaptive-bytes }]
`,
    );
    const out = join(dir, 'out');
    const run = startRun(spec, '--out', out);
    await until(() => existsSync(out), 'the output folder');
    await new Promise((r) => setTimeout(r, 500));
    const signalled = performance.now();
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(130);
    expect(performance.now() - signalled).toBeLessThan(10_000);
    expect(run.stderr()).toContain('interrupted');
    expect(existsSync(join(out, 'metrics.json'))).toBe(false);
    expect(existsSync(join(out, 'manifest.json'))).toBe(false);
  }, 30_000);

  it('treats SIGTERM as termination, without "Ctrl-C again" advice', async () => {
    const dir = temporaryFolder();
    const spec = join(dir, 'busy.yaml');
    writeFileSync(
      spec,
      `plugins: [${plugin}]
pipeline:
  generator: { type: counting, documents: 5000000, perBatch: 50 }
  tokenizer: { type: bytes }
  predictors: [{ type: adaptive-bytes }]
`,
    );
    const out = join(dir, 'out');
    const run = startRun(spec, '--out', out);
    await until(() => existsSync(out), 'the output folder');
    await new Promise((r) => setTimeout(r, 500));
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(130);
    expect(run.stderr()).toContain('SIGTERM');
    expect(run.stderr()).not.toContain('Ctrl-C again');
  }, 30_000);
});

describe('a failing sweep point', () => {
  it('stops the other points at once and leaves none of their partial files', async () => {
    const dir = temporaryFolder();
    const spec = join(dir, 'sweep.yaml');
    // point 1 streams slowly into a file; point 2 cannot open its file (no such folder) and fails at once
    writeFileSync(
      spec,
      `plugins: [${plugin}]
sweep: { file: [bits.txt, missing/bits.txt] }
concurrency: 2
pipeline:
  generator: { type: counting, documents: 100000 }
  tokenizer: { type: bytes }
  predictors: [{ type: adaptive-bytes }]
  sinks: [{ type: lines, path: "\${file}", delayMs: 20 }]
`,
    );
    const out = join(dir, 'out');
    const run = startRun(spec, '--out', out);
    const code = await run.exited; // before the fix: the first point streamed all 100,000 documents (over half an hour)
    expect(code).toBe(6);
    expect(run.stderr()).toContain('missing/bits.txt');
    expect(run.stderr()).not.toContain('interrupted');
    expect(filesUnder(out).filter((f) => f.includes('.partial-') || f.endsWith('bits.txt') || f.endsWith('manifest.json'))).toEqual([]);
  }, 120_000); // two worker threads each load every plugin first: seconds, or tens of seconds on a busy machine
});
