import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { syncPackages } from './sync-packages.ts';

const workspaceRoot = resolve(import.meta.dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'kolmo-sync-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(file: string, content: unknown): void {
  mkdirSync(dirname(join(dir, file)), { recursive: true });
  writeFileSync(join(dir, file), typeof content === 'string' ? content : JSON.stringify(content));
}

describe('npm run sync', () => {
  it('finds this workspace in sync with the conventions (run `npm run sync` when this fails)', () => {
    expect(syncPackages(workspaceRoot, { write: false }).map((change) => change.file)).toEqual([]);
  });

  it('brings a new package and a new plugin to the conventions, and then reports nothing left', () => {
    write('package.json', { name: 'ws', private: true, license: 'MIT', engines: { node: '>=20' }, workspaces: ['packages/*', 'plugins/*', 'tools/*'] });
    write('tsconfig.base.json', '{}');
    write('packages/core/package.json', { name: '@kolmo/core', version: '0.4.0', dependencies: { zod: '4.6.7' } });
    write('packages/core/src/index.ts', 'export {};\n');
    write('packages/core/src/testing/index.ts', 'export {};\n');
    write('packages/core/src/list.txt', 'word\n');
    write('packages/core/src/helper.ts', "import { it } from 'vitest';\n");
    write('packages/core/src/model/testing/reference.ts', 'export {};\n');
    write('packages/core/vitest.config.ts', "export default defineProject({ test: {} });\n");
    write('plugins/llm-x/package.json', { name: '@kolmo/plugin-llm-x', version: '0.4.0', dependencies: { '@kolmo/core': '0.4.0', zod: '4.6.7', undici: '7.0.0' } });
    write('plugins/llm-x/src/index.ts', 'export {};\n');
    write('tools/t/package.json', { name: '@kolmo/t', version: '0.0.0' });

    const changed = syncPackages(dir, { write: true }).map((change) => change.file);
    expect(changed).toEqual([
      'packages/core/package.json',
      'packages/core/tsconfig.lib.json',
      'packages/core/vitest.config.ts',
      'plugins/llm-x/package.json',
      'plugins/llm-x/tsconfig.lib.json',
      'tools/t/package.json',
    ]);
    expect(syncPackages(dir, { write: false })).toEqual([]);

    const core = JSON.parse(readFileSync(join(dir, 'packages/core/package.json'), 'utf8'));
    expect(core.exports['./testing']).toEqual({
      '@kolmo/source': './src/testing/index.ts',
      types: './dist/testing/index.d.ts',
      import: './dist/testing/index.js',
      default: './dist/testing/index.js',
    });
    expect(core.exports['./internal']).toBeUndefined();
    expect(core.files).toContain('!src/helper.ts'); // imports vitest: test support, not shipped
    expect(core.files).toContain('!src/model/testing/reference.ts'); // a nested testing/ folder: test helpers
    expect(core.files).not.toContain('!src/testing/index.ts'); // the public ./testing entry ships
    expect(core.scripts.build).toBe('tsc -b tsconfig.lib.json && tsx ../../tools/workspace/src/copy-assets.ts'); // list.txt
    expect(core).toMatchObject({ license: 'MIT', engines: { node: '>=20' }, publishConfig: { access: 'public' } });
    expect(readFileSync(join(dir, 'packages/core/vitest.config.ts'), 'utf8')).toContain("conditions: ['@kolmo/source'");

    const plugin = JSON.parse(readFileSync(join(dir, 'plugins/llm-x/package.json'), 'utf8'));
    expect(plugin.dependencies).toEqual({ undici: '7.0.0' });
    expect(plugin.peerDependencies).toEqual({ '@kolmo/core': '^0.4.0', zod: '^4.6.7' });
    expect(plugin.devDependencies).toEqual({ '@kolmo/core': '0.4.0', zod: '4.6.7' });
    const build = JSON.parse(readFileSync(join(dir, 'plugins/llm-x/tsconfig.lib.json'), 'utf8'));
    expect(build.references).toEqual([{ path: '../../packages/core/tsconfig.lib.json' }]);
    expect(JSON.parse(readFileSync(join(dir, 'tools/t/package.json'), 'utf8')).private).toBe(true);

    write('plugins/llm-x/package.json', { ...plugin, dependencies: { '@kolmo/core': '0.4.0' } }); // edited by hand
    expect(syncPackages(dir, { write: false }).map((change) => change.file)).toEqual(['plugins/llm-x/package.json']);
  });
});
