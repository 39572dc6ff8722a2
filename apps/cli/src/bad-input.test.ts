import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { filesUnder, fixtures, kolmo, temporaryFolder } from './cli-harness.ts';

const plugin = join(fixtures, '../../../packages/core/fixtures');

/** Writes a spec into a fresh folder and runs it; every case must leave the output folder without files. */
async function runSpec(yaml: string) {
  const dir = temporaryFolder();
  const spec = join(dir, 'spec.yaml');
  writeFileSync(spec, yaml);
  const out = join(dir, 'out');
  const result = await kolmo('run', spec, '--out', out);
  return { ...result, left: filesUnder(out), dir };
}

const good = (generator = '{ type: counting, documents: 50 }', extra = '') => `plugins: [${plugin}/local-plugin]
pipeline:
  generator: ${generator}
  tokenizer: { type: bytes }
  predictors: [{ type: adaptive-bytes }]
  sinks: [{ type: lines, path: bits.txt }]
${extra}`;

describe('bad input gets a clear error and leaves nothing behind', () => {
  it('malformed YAML: line and column', async () => {
    const { code, stderr, left } = await runSpec(good().replace('{ type: bytes }', '{ type: bytes'));
    expect(code).toBe(3);
    expect(stderr).toMatch(/^kolmo: malformed YAML in .*spec\.yaml:5:3: /);
    expect(left).toEqual([]);
  });

  it('unknown stage type: lists the known ones', async () => {
    const { code, stderr, left } = await runSpec(good().replace('type: bytes', 'type: bites'));
    expect(code).toBe(3);
    expect(stderr).toContain('pipeline.tokenizer.type');
    expect(stderr).toMatch(/unknown tokenizer type "bites"; known tokenizer types: bytes/);
    expect(left).toEqual([]);
  });

  it('wrong and unknown fields: the full path and what was expected', async () => {
    const wrong = await runSpec(good().replace('path: bits.txt', 'path: 7'));
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toMatch(/pipeline\.sinks\[0\]\.path \(.*spec\.yaml:6:26\): Invalid input: expected string, received number/);
    const unknown = await runSpec(good().replace('{ type: adaptive-bytes }', '{ type: adaptive-bytes, priorr: 1 }'));
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toMatch(/pipeline\.predictors\[0\]\.priorr \(.*\): unknown field for predictor "adaptive-bytes"/);
    expect([...wrong.left, ...unknown.left]).toEqual([]);
  });

  it('missing input file', async () => {
    const { code, stderr, left } = await runSpec(good('{ type: text-file, path: no-such-file.txt }'));
    expect(code).toBe(5);
    expect(stderr).toMatch(/input file not found: .*no-such-file\.txt/);
    expect(left).toEqual([]);
  });

  it('invalid UTF-8: the file and the offset of the first bad byte', async () => {
    const { code, stderr, left } = await runSpec(good(`{ type: text-file, path: ${join(fixtures, 'invalid-utf8.txt')} }`));
    expect(code).toBe(5);
    expect(stderr).toMatch(/invalid-utf8\.txt is not valid UTF-8 \(first bad byte at offset 11\)/);
    expect(left).toEqual([]);
  });

  it('unwritable output folder', async () => {
    const dir = temporaryFolder();
    const blocker = join(dir, 'a-file');
    writeFileSync(blocker, 'not a folder');
    const spec = join(dir, 'spec.yaml');
    writeFileSync(spec, good());
    const { code, stderr } = await kolmo('run', spec, '--out', join(blocker, 'out'));
    expect(code).toBe(6);
    expect(stderr).toMatch(/output folder .*a-file\/out cannot be made: .*a-file is a file, not a folder/);
    expect(filesUnder(dir).sort()).toEqual(['a-file', 'spec.yaml']);
    // --out naming the file itself: said as such, not as EEXIST
    const itself = await kolmo('run', spec, '--out', blocker);
    expect(itself.code).toBe(6);
    expect(itself.stderr).toMatch(/a-file is a file, not a folder/);
  });

  it('an output that cannot be written (a folder in the way of a rename): exit 6, and no run left without its manifest', async () => {
    const dir = temporaryFolder();
    const spec = join(dir, 'spec.yaml');
    writeFileSync(spec, good());
    const out = join(dir, 'out');
    mkdirSync(join(out, 'bits.txt', 'inside'), { recursive: true });
    const { code, stderr } = await kolmo('run', spec, '--out', out);
    expect(code).toBe(6);
    expect(stderr).toMatch(/^kolmo: cannot write .*out\/bits\.txt: a folder of that name is in the way \((EISDIR|ENOTEMPTY|EEXIST)\)/);
    expect(stderr).not.toContain('unexpected');
    expect(filesUnder(out)).toEqual([]); // no partial file, no metrics.json, no manifest (the folder in the way is empty)
  });

  it('a plugin that fails to load: which one and why', async () => {
    const { code, stderr, left } = await runSpec(good().replace(`${plugin}/local-plugin`, `${plugin}/broken-plugin`));
    expect(code).toBe(4);
    expect(stderr).toMatch(/plugin .*broken-plugin failed to load from .*: missing native binding xyz/);
    expect(left).toEqual([]);
  });

  it('a failure in the middle of a run removes the partial outputs', async () => {
    const { code, stderr, left } = await runSpec(good('{ type: counting, documents: 50 }').replace('path: bits.txt', 'path: bits.txt }, { type: lines, path: missing-dir/x.txt'));
    expect(code).toBe(6);
    expect(stderr).toMatch(/cannot write .*missing-dir\/x\.txt: its folder does not exist \(ENOENT\)/);
    expect(left).toEqual([]);
  });

  it('usage errors exit with 2', async () => {
    expect((await kolmo('run')).code).toBe(2);
    expect((await kolmo('frobnicate')).code).toBe(2);
  });
});

describe('kolmo validate', () => {
  it('checks every component and the report section without running anything', async () => {
    const dir = temporaryFolder();
    const spec = join(dir, 'spec.yaml');
    writeFileSync(spec, good('{ type: counting, documents: 50 }', 'report: { plots: [{ kind: scatter }] }'));
    const bad = await kolmo('validate', spec);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/report\.plots\[0\]\.kind.*unknown plot kind "scatter"/);
    writeFileSync(spec, good());
    const ok = await kolmo('validate', spec, '--json');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ valid: true, runs: 1, predictors: ['adaptive-bytes'] });
    expect(filesUnder(dir)).toEqual(['spec.yaml']);
  });
});
