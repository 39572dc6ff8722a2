import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { kolmo } from './cli-harness.ts';

const guide = readFileSync(join(import.meta.dirname, '../../../docs/plugin-authors.md'), 'utf8');

describe('docs/plugin-authors.md', () => {
  it("its example plugin, copied into a folder of its own, loads from a spec and runs", async () => {
    const code = /```ts\n([\s\S]*?)```/.exec(guide)![1];
    // Inside the workspace, as a user's plugin sits inside their project: it resolves @kolmo/core from there.
    const dir = mkdtempSync(join(import.meta.dirname, '../.plugin-guide-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const plugin = join(dir, 'my-plugin');
    mkdirSync(plugin);
    writeFileSync(join(plugin, 'package.json'), JSON.stringify({ name: 'my-kolmo-plugin', type: 'module', exports: './index.ts' }));
    writeFileSync(join(plugin, 'index.ts'), code);
    writeFileSync(join(dir, 'corpus.txt'), 'hello plugin world\n');
    const spec = /```yaml\n([\s\S]*?)```/.exec(guide)![1];
    writeFileSync(join(dir, 'my.yaml'), spec);

    const listed = await kolmo('plugins', '--spec', join(dir, 'my.yaml'), '--json');
    expect(listed.code).toBe(0);
    const uniform = JSON.parse(listed.stdout).find((s: { type: string }) => s.type === 'uniform');
    expect(uniform).toMatchObject({ kind: 'predictor', plugin: './my-plugin' });
    expect(uniform.fields[0]).toMatchObject({ name: 'temperature', default: 1 });

    const run = await kolmo('run', join(dir, 'my.yaml'), '--out', join(dir, 'out'), '--json');
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout).runs[0].result;
    expect(result.predictors.uniform.bits).toBe(19 * 8); // 19 bytes at log2(256) bits each
  });
});
