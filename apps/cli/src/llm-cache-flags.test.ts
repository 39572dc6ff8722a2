import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { filesUnder, kolmo, temporaryFolder } from './cli-harness.ts';

const spec = `
plugins: ['@kolmo/llm/testing']
seed: 2
pipeline:
  generator: { type: syntax-knowledge, documents: 30, batchDocuments: 10 }
  tokenizer: { type: slot-word }
  predictors: [{ type: llm, backend: { type: unigram-test } }]
  coder: { type: ideal }
`;

describe('kolmo run with the llm predictor', () => {
  it('caches scored documents under <out>/.cache by default, under --cache-dir when given, and nowhere with --no-cache', async () => {
    const dir = temporaryFolder();
    const specFile = join(dir, 'llm.yaml');
    writeFileSync(specFile, spec);
    const [a, b, c, cache] = [join(dir, 'a'), join(dir, 'b'), join(dir, 'c'), join(dir, 'cache')];
    expect((await kolmo('run', specFile, '--out', a, '--quiet')).code).toBe(0);
    // One entry per distinct text (a short corpus repeats some documents word for word).
    const entries = filesUnder(join(a, '.cache')).filter((f) => f.endsWith('.json')).length;
    expect(entries).toBeGreaterThan(10);
    expect(entries).toBeLessThanOrEqual(30);
    expect((await kolmo('run', specFile, '--out', b, '--quiet', '--no-cache')).code).toBe(0);
    expect(existsSync(join(b, '.cache'))).toBe(false);
    expect((await kolmo('run', specFile, '--out', c, '--quiet', '--cache-dir', cache)).code).toBe(0);
    expect(existsSync(join(c, '.cache'))).toBe(false);
    expect(readdirSync(join(cache, 'llm'))).toHaveLength(1);
  });
});
