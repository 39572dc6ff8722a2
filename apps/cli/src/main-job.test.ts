import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { dirichletCodeLength } from '@kolmo/predictor';
import { temporaryFolder } from './cli-harness.ts';

const root = join(import.meta.dirname, '../../..');

describe("the README's main job (examples/alice-bytes.yaml)", () => {
  it('writes per-token bits of a real text to an Arrow file whose total is the closed-form KT code length', () => {
    const out = temporaryFolder();
    const stdout = execFileSync(process.execPath, [join(root, 'apps/cli/bin/kolmo.mjs'), 'run', 'examples/alice-bytes.yaml', '--out', out, '--json'], {
      cwd: root,
      encoding: 'utf8',
    });
    const summary = JSON.parse(stdout);
    const text = readFileSync(join(root, 'examples/corpora/alice29.txt'));

    const table = tableFromIPC(readFileSync(join(out, 'tokens.arrow')));
    expect(table.numRows).toBe(text.length);
    const ids = table.getChild('token')!.toArray() as Int32Array;
    const bits = table.getChild('bits')!.toArray() as Float64Array;
    expect(ids.every((id, i) => id === text[i])).toBe(true); // the tokens are the file's bytes, in order

    const counts = new Float64Array(256);
    for (const byte of text) counts[byte]++;
    const closedForm = dirichletCodeLength(counts, 0.5);
    let total = 0;
    for (const b of bits) total += b;
    expect(Math.abs(total - closedForm) / closedForm).toBeLessThan(1e-9);
    expect(Math.abs(summary.runs[0].result.predictors['adaptive-bytes'].bits - closedForm) / closedForm).toBeLessThan(1e-9);
  }, 60_000);
});
