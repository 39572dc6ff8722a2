import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { kolmo } from './cli-harness.ts';

const guide = readFileSync(join(import.meta.dirname, '../../../docs/plugin-authors.md'), 'utf8');

// The commands of the guide run against installed tarballs in tools/workspace/src/consumer-install.test.ts;
// this test checks, quickly and from sources, that the guide shows what `kolmo new plugin` really writes.
describe('docs/plugin-authors.md', () => {
  it('shows the predictor `kolmo new plugin` writes, and its spec runs that predictor', async () => {
    // Inside the workspace, as a user's plugin sits inside their project: it resolves @kolmo/core from there.
    const dir = mkdtempSync(join(import.meta.dirname, '../.plugin-guide-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const created = await kolmo('new', 'plugin', '@team/kolmo-plugin-uniform', '--kind', 'predictor', '--dir', join(dir, 'kolmo-plugin-uniform'));
    expect(created.code, created.stderr).toBe(0);
    const written = readFileSync(join(dir, 'kolmo-plugin-uniform/src/index.ts'), 'utf8');
    expect(/```ts\n([\s\S]*?)```/.exec(guide)![1]).toBe(written);

    // The guide's spec names the published package; from sources the same stage loads by its path.
    const spec = /```yaml\n([\s\S]*?)```/.exec(guide)![1].replace('"@team/kolmo-plugin-uniform"', '"./kolmo-plugin-uniform/src/index.ts"');
    writeFileSync(join(dir, 'my.yaml'), spec);
    writeFileSync(join(dir, 'corpus.txt'), 'hello plugin world\n');
    const listed = await kolmo('plugins', '--spec', join(dir, 'my.yaml'), '--json');
    expect(listed.code, listed.stderr).toBe(0);
    const uniform = JSON.parse(listed.stdout).find((s: { type: string }) => s.type === 'uniform');
    expect(uniform).toMatchObject({ kind: 'predictor', plugin: './kolmo-plugin-uniform/src/index.ts', pluginPackage: '@team/kolmo-plugin-uniform' });

    const run = await kolmo('run', join(dir, 'my.yaml'), '--out', join(dir, 'out'), '--json');
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout).runs[0].result;
    expect(result.predictors.uniform.bits).toBe(19 * 8); // 19 bytes at log2(256) bits each
  });

  it('refuses an unknown kind and a name npm would not accept', async () => {
    const badKind = await kolmo('new', 'plugin', 'kolmo-plugin-x', '--kind', 'coder');
    expect([badKind.code, badKind.stderr]).toEqual([2, expect.stringContaining('unknown plugin kind "coder"; one of: predictor, generator')]);
    const badName = await kolmo('new', 'plugin', 'Kolmo Plugin', '--kind', 'sink');
    expect([badName.code, badName.stderr]).toEqual([2, expect.stringContaining('"Kolmo Plugin" is not a valid npm package name')]);
  });
});
