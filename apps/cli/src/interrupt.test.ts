import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { filesUnder, fixtures, temporaryFolder } from './cli-harness.ts';

const bin = join(import.meta.dirname, '../bin/kolmo.mjs');

describe('Ctrl-C', () => {
  it('stops the run, closes sinks and leaves no file that looks complete', async () => {
    const dir = temporaryFolder();
    const spec = join(dir, 'slow.yaml');
    writeFileSync(
      spec,
      `plugins: [${join(fixtures, '../../../packages/core/fixtures/local-plugin')}]
pipeline:
  generator: { type: counting, documents: 100000 }
  tokenizer: { type: bytes }
  predictors: [{ type: adaptive-bytes }]
  sinks: [{ type: lines, path: bits.txt, delayMs: 20 }]
`,
    );
    const out = join(dir, 'out');
    const child = spawn(process.execPath, [bin, 'run', spec, '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    // wait until the sink has a partial file open, i.e. the run is streaming
    for (let i = 0; i < 400 && !filesUnder(out).some((f) => f.includes('.partial-')); i++) await new Promise((r) => setTimeout(r, 25));
    expect(filesUnder(out).some((f) => f.includes('.partial-'))).toBe(true);
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(130);
    expect(stderr).toContain('interrupted');
    expect(filesUnder(out)).toEqual([]);
  }, 30_000);
});
