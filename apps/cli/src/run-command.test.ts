import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSpec, runLoadedSpec } from '@kolmo/core';
import { builtinPlugins } from './builtins.ts';
import { sweepThreadOptions } from './sweep-thread-options.ts';
import { filesUnder, fixtures, kolmo, temporaryFolder } from './cli-harness.ts';

describe('kolmo run', () => {
  it('runs a pipeline whose stages come from a local plugin folder named in the spec', async () => {
    const out = temporaryFolder();
    const { code, stdout } = await kolmo('run', join(fixtures, 'counting.yaml'), '--out', out);
    expect(code).toBe(0);
    expect(stdout).toContain('200 documents');
    expect(filesUnder(out).sort()).toEqual(['bits.txt', 'manifest.json', 'metrics-table.json', 'metrics.json', 'run-complete.json']);
    const lines = readFileSync(join(out, 'bits.txt'), 'utf8').trim().split('\n');
    expect(lines.length).toBe(2 * 20); // 20 batches of 10 documents, two predictors each
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.resolved.predictors.map((p: { name: string }) => p.name)).toEqual(['adaptive-bytes', 'laplace']);
    expect(manifest.plugins.map((p: { name: string }) => p.name)).toContain('../../../packages/core/fixtures/local-plugin');
    expect(manifest.outputs.map((o: { path: string }) => o.path)).toEqual(['bits.txt', 'metrics.json']);
    expect(manifest.outputs[0].sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(manifest.spec.file).toBe(relative(out, join(fixtures, 'counting.yaml'))); // no absolute paths
    expect(readFileSync(join(out, 'manifest.json'), 'utf8')).not.toContain(out);
  });

  it('gives byte-identical outputs for the same spec and seed, and different ones for another seed', async () => {
    const [a, b, c] = [temporaryFolder(), temporaryFolder(), temporaryFolder()];
    await kolmo('run', join(fixtures, 'counting.yaml'), '--out', a, '--quiet');
    await kolmo('run', join(fixtures, 'counting.yaml'), '--out', b, '--quiet');
    const reseeded = join(temporaryFolder(), 'reseeded.yaml');
    const plugin = join(fixtures, '../../../packages/core/fixtures/local-plugin');
    writeFileSync(reseeded, readFileSync(join(fixtures, 'counting.yaml'), 'utf8').replace('seed: 5', 'seed: 6').replace(/plugins: \[.*\]/, `plugins: [${plugin}]`));
    expect((await kolmo('run', reseeded, '--out', c, '--quiet')).code).toBe(0);
    for (const file of ['bits.txt', 'metrics.json']) {
      expect(readFileSync(join(a, file)).equals(readFileSync(join(b, file)))).toBe(true);
    }
    expect(readFileSync(join(a, 'bits.txt')).equals(readFileSync(join(c, 'bits.txt')))).toBe(false);
  });

  it('gives the same results whatever order a sweep runs in', async () => {
    const loaded = await loadSpec({ specFile: join(fixtures, 'counting-sweep.yaml'), builtins: builtinPlugins });
    expect(loaded.runs.map((r) => r.label)).toEqual(['documents=30,seed=1', 'documents=30,seed=2', 'documents=60,seed=1', 'documents=60,seed=2']);
    const forward = await runLoadedSpec(loaded, { outDir: temporaryFolder() });
    const backward = await runLoadedSpec(loaded, { outDir: temporaryFolder(), order: [3, 1, 2, 0], concurrency: 2 });
    expect(backward.metrics).toEqual(forward.metrics);
    for (const run of forward.runs) {
      const twin = backward.runs.find((r) => r.label === run.label)!;
      expect(readFileSync(join(twin.runDir, 'bits.txt')).equals(readFileSync(join(run.runDir, 'bits.txt')))).toBe(true);
    }
    // on worker threads (one per concurrent run): the same bytes
    const threaded = await runLoadedSpec(loaded, { outDir: temporaryFolder(), concurrency: 2, threads: sweepThreadOptions() });
    expect(threaded.metrics).toEqual(forward.metrics);
    for (const run of forward.runs) {
      const twin = threaded.runs.find((r) => r.label === run.label)!;
      for (const file of ['bits.txt', 'metrics.json']) expect(readFileSync(join(twin.runDir, file)).equals(readFileSync(join(run.runDir, file)))).toBe(true);
    }
    // different sweep points draw from different streams
    const bits = (label: string) => readFileSync(join(forward.runs.find((r) => r.label === label)!.runDir, 'bits.txt'), 'utf8');
    expect(bits('documents=30,seed=1')).not.toBe(bits('documents=30,seed=2'));
  });
});

describe('the evaluation phase', () => {
  it('scores held-out documents without learning and reports test columns', async () => {
    const dir = temporaryFolder();
    const spec = join(dir, 'eval.yaml');
    writeFileSync(
      spec,
      readFileSync(join(fixtures, 'counting.yaml'), 'utf8')
        .replace(/plugins: \[.*\]/, `plugins: [${join(fixtures, '../../../packages/core/fixtures/local-plugin')}]`)
        .replace('  sinks:', '  evaluation: { documents: 30 }\n  sinks:'),
    );
    const { code, stdout } = await kolmo('run', spec, '--out', join(dir, 'out'), '--json');
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    const run = result.runs[0].result;
    expect(run.documents).toBe(200);
    expect(run.test.documents).toBe(30);
    const row = result.metrics.find((r: { predictor: string }) => r.predictor === 'adaptive-bytes');
    expect(row.test_documents).toBe(30);
    expect(row.test_bits).toBe(run.predictors['adaptive-bytes'].test.bits);
    // frozen counts: held-out bits are the sum of −log2 of the final predictive probabilities
    expect(row.test_bits_per_byte).toBeGreaterThan(1);
    expect(row.test_bits_per_byte).toBeLessThan(8);
  });
});

describe('real coding and evaluation', () => {
  it('a range-coded training phase leaves the predictor as trained as the ideal coder does', async () => {
    const dir = temporaryFolder();
    const plugin = join(fixtures, '../../../packages/core/fixtures/local-plugin');
    const spec = (coder: string) => `plugins: [${plugin}]
seed: 3
pipeline:
  generator: { type: counting, documents: 100 }
  tokenizer: { type: bytes }
  predictors: [{ type: adaptive-bytes }]
  coder: { type: ${coder} }
  evaluation: { documents: 20 }
`;
    const results = [];
    for (const coder of ['ideal', 'range']) {
      writeFileSync(join(dir, `${coder}.yaml`), spec(coder));
      const run = await kolmo('run', join(dir, `${coder}.yaml`), '--out', join(dir, coder), '--json');
      expect(run.code, run.stderr).toBe(0);
      results.push(JSON.parse(run.stdout).runs[0].result.predictors['adaptive-bytes']);
    }
    const [ideal, range] = results;
    expect(range.test.bits).toBe(ideal.test.bits);
    expect(range.statistics).toEqual(ideal.statistics);
    expect(range.codedBytes).toBeGreaterThan(0);
    expect(range.codedBytes).toBeLessThanOrEqual(ideal.bits / 8 + 2);
  });
});
