import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSpec, runLoadedSpec } from './run-spec.ts';

/**
 * The runner on its own, with stages defined against core only (fixtures/local-plugin: a seeded generator and a
 * lines sink; fixtures/runner-stages: a byte tokenizer, an adaptive Laplace predictor, an ideal coder): no built-in stage
 * package is involved, so these tests pin the runner's contract, not a stage's.
 */
const fixtures = join(import.meta.dirname, '../../fixtures');
const temporary = mkdtempSync(join(tmpdir(), 'kolmo-core-runner-'));
afterAll(() => rmSync(temporary, { recursive: true, force: true }));

function spec(name: string, body: string): string {
  const file = join(temporary, `${name}.yaml`);
  writeFileSync(file, `plugins: [${join(fixtures, 'local-plugin')}, ${join(fixtures, 'runner-stages')}]\nseed: 3\n${body}`);
  return file;
}

const pipeline = `pipeline:
  generator: { type: counting, documents: 120, perBatch: 25 }
  tokenizer: { type: test-bytes }
  predictors:
    - { type: test-laplace }
  coder: { type: test-ideal }
  sinks:
    - { type: lines, path: bits.txt }
`;

/** Adaptive Laplace bits of a byte stream, computed here independently of the runner. */
function laplaceBits(bytes: Uint8Array): number {
  const counts = new Float64Array(256);
  let bits = 0;
  bytes.forEach((byte, n) => {
    bits -= Math.log2((counts[byte] + 1) / (n + 256));
    counts[byte]++;
  });
  return bits;
}

describe('runLoadedSpec with core-only stages', () => {
  it('streams every batch through tokenizer, predictor and sink, and writes metrics and manifest', async () => {
    const loaded = await loadSpec({ specFile: spec('one', pipeline), builtins: [] });
    const out = join(temporary, 'one');
    const result = await runLoadedSpec(loaded, { outDir: out });
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    // The documents the sink saw, in order: 120 documents in batches of 25 → 5 writes.
    const lines = readFileSync(join(out, 'bits.txt'), 'utf8').trim().split('\n');
    expect(lines.length).toBe(5);
    const tokensPerBatch = lines.map((line) => Number(line.split(' ')[1]));
    expect(metrics.documents).toBe(120);
    expect(metrics.tokens).toBe(tokensPerBatch.reduce((a, b) => a + b, 0));
    // The predictor's total equals the Laplace code length of the concatenated bytes, recomputed here from the
    // per-token bits the sink wrote (same stream, same order).
    const written = lines.flatMap((line) => line.split(' ').slice(2).map(Number));
    expect(written.length).toBe(metrics.tokens);
    const total = written.reduce((a, b) => a + b, 0);
    expect(metrics.predictors['test-laplace'].bits).toBeCloseTo(total, 6);
    expect(metrics.predictors['test-laplace'].statistics.symbols).toBe(metrics.tokens);
    expect(result.runs.map((run) => run.label)).toEqual(['run']);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.outputs.map((o: { path: string }) => o.path)).toEqual(['bits.txt', 'metrics.json']);
  });

  it('codes what the generator produced: the Laplace bits match a recomputation from the documents', async () => {
    const loaded = await loadSpec({ specFile: spec('recompute', pipeline), builtins: [] });
    const out = join(temporary, 'recompute');
    await runLoadedSpec(loaded, { outDir: out });
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    // Each sink line holds its batch's per-token bits; the bits of the first byte of the stream under an empty
    // model are log2(256) = 8 exactly.
    const first = Number(readFileSync(join(out, 'bits.txt'), 'utf8').split('\n')[0].split(' ')[2]);
    expect(first).toBeCloseTo(8, 12);
    // A byte stream of the same length coded by the same rule can only give the runner's figure if it is the
    // same stream; all bytes equal would give far fewer bits, so this check can fail.
    expect(metrics.predictors['test-laplace'].bits).toBeGreaterThan(laplaceBits(new Uint8Array(metrics.tokens)));
  });

  it('gives byte-identical outputs for the same seed, other ones for another seed, whatever the sweep order', async () => {
    const sweep = spec('sweep', `sweep:\n  seed: [1, 2]\n${pipeline}`);
    const loaded = await loadSpec({ specFile: sweep, builtins: [] });
    const forward = await runLoadedSpec(loaded, { outDir: join(temporary, 'forward') });
    const backward = await runLoadedSpec(loaded, { outDir: join(temporary, 'backward'), order: [1, 0], concurrency: 2 });
    expect(backward.metrics).toEqual(forward.metrics);
    const bits = (result: typeof forward, label: string) => readFileSync(join(result.runs.find((r) => r.label === label)!.runDir, 'bits.txt'));
    expect(bits(backward, 'seed=1').equals(bits(forward, 'seed=1'))).toBe(true);
    expect(bits(forward, 'seed=1').equals(bits(forward, 'seed=2'))).toBe(false);
  });
});
