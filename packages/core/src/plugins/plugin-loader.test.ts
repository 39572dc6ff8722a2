import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCoreRange, coreVersion, loadPlugins } from './plugin-loader.ts';

const fixtures = join(import.meta.dirname, '../../fixtures');

describe('loadPlugins', () => {
  it('loads a plugin from a local folder and registers its stages', async () => {
    const registry = await loadPlugins([{ name: './local-plugin', baseDir: fixtures }]);
    expect(registry.types('generator')).toEqual(['counting']);
    expect(registry.get('sink', 'lines')?.plugin).toBe('./local-plugin');
  });

  it('loads the same module once even when named twice', async () => {
    const registry = await loadPlugins([
      { name: './local-plugin', baseDir: fixtures },
      { name: join(fixtures, 'local-plugin'), baseDir: '/' },
    ]);
    expect(registry.plugins).toHaveLength(1);
  });

  it('refuses a duplicate type name, naming both plugins', async () => {
    await expect(
      loadPlugins([
        { name: './local-plugin', baseDir: fixtures },
        { name: './duplicate-plugin', baseDir: fixtures },
      ]),
    ).rejects.toThrow('generator type "counting" is contributed twice: by ./local-plugin and by ./duplicate-plugin');
  });

  it('says which plugin failed to load and why', async () => {
    await expect(loadPlugins([{ name: './broken-plugin', baseDir: fixtures }])).rejects.toThrow(
      /^plugin \.\/broken-plugin failed to load from .*broken-plugin\/index\.ts: missing native binding xyz$/,
    );
    await expect(loadPlugins([{ name: './not-a-module-plugin', baseDir: fixtures }])).rejects.toThrow(
      /has no default export of an Inversify ContainerModule/,
    );
    await expect(loadPlugins([{ name: './nowhere', baseDir: fixtures }])).rejects.toThrow(/plugin \.\/nowhere not found/);
    await expect(loadPlugins([{ name: '@kolmo/no-such-plugin', baseDir: fixtures }])).rejects.toThrow(
      /plugin @kolmo\/no-such-plugin not found: no such package/,
    );
  });
});

describe('core version compatibility', () => {
  it('refuses a plugin built for another core range, naming both versions, before importing it', async () => {
    await expect(loadPlugins([{ name: './incompatible-plugin', baseDir: fixtures }])).rejects.toThrow(
      `plugin ./incompatible-plugin (@team/kolmo-plugin-from-the-future@3.1.0) requires @kolmo/core ^9.0.0, but the running @kolmo/core is ${coreVersion}`,
    );
  });

  it('accepts a range that includes the running core, and says which pre-releases count', () => {
    const manifest = (range: string) => ({ file: 'package.json', name: 'p', version: '1.0.0', peerDependencies: { '@kolmo/core': range } });
    expect(() => checkCoreRange('p', manifest('^0.1.0'), '0.1.4')).not.toThrow();
    expect(() => checkCoreRange('p', manifest('>=0.1.0 <0.3.0'), '0.2.0-next.1')).not.toThrow();
    expect(() => checkCoreRange('p', manifest('^0.2.0'), '0.1.4')).toThrow('p@1.0.0 requires @kolmo/core ^0.2.0, but the running @kolmo/core is 0.1.4');
    expect(() => checkCoreRange('p', manifest('not a range'), '0.1.4')).toThrow('invalid @kolmo/core range "not a range"');
  });

  it('records each plugin package name and version', async () => {
    const registry = await loadPlugins([{ name: './local-plugin', baseDir: fixtures }]);
    expect(registry.plugins[0]).toMatchObject({ name: './local-plugin', packageName: 'kolmo-fixture-local-plugin', version: '1.2.3' });
  });
});
