import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KolmoError } from '@kolmo/core';
import { fixtures, kolmo, temporaryFolder } from './cli-harness.ts';
import { formatKolmoError } from './main.ts';

const bin = join(import.meta.dirname, '../bin/kolmo.mjs');

describe('the rough edges of the kolmo command', () => {
  it('--version prints the version', async () => {
    const { code, stdout } = await kolmo('--version');
    expect(code).toBe(0);
    expect(stdout.trim()).toBe(JSON.parse(readFileSync(join(import.meta.dirname, '../package.json'), 'utf8')).version);
  });

  it('a reader that stops early (kolmo schema | head) is no error: exit 0, no EPIPE stack', async () => {
    const child = spawn(process.execPath, [bin, 'schema'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.stdout.destroy(); // like `head -0`: the reader is gone before kolmo writes
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(stderr).not.toContain('EPIPE');
    expect(code).toBe(0);
  }, 60_000);

  it('--json turns errors into JSON on stdout', async () => {
    const dir = temporaryFolder();
    const spec = join(dir, 'bad.yaml');
    writeFileSync(spec, readFileSync(join(fixtures, 'counting.yaml'), 'utf8').replace('seed: 5', 'seeed: 5').replace(/plugins: \[.*\]/, `plugins: [${join(fixtures, '../../../packages/core/fixtures/local-plugin')}]`));
    const { code, stdout, stderr } = await kolmo('validate', spec, '--json');
    expect(code).toBe(3);
    expect(stderr).toBe('');
    const { error } = JSON.parse(stdout);
    expect(error).toMatchObject({ kind: 'invalidSpec', exitCode: 3 });
    expect(error.message).toMatch(/^seeed \(.*bad\.yaml:\d+:\d+\): unknown field; did you mean "seed"\?/);
  });

  it('several problems: a count, then one indented line each', () => {
    const error = new KolmoError('invalidSpec', 'a (s.yaml:1:1): unknown field', { details: ['a (s.yaml:1:1): unknown field', 'b (s.yaml:2:1): expected a number\nc (s.yaml:3:1): unknown field'] });
    expect(formatKolmoError(error)).toBe('kolmo: 3 problems:\n  - a (s.yaml:1:1): unknown field\n  - b (s.yaml:2:1): expected a number\n  - c (s.yaml:3:1): unknown field\n');
    expect(formatKolmoError(new KolmoError('usage', 'one thing'))).toBe('kolmo: one thing\n');
  });
});
