import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPlugins } from './plugin-loader.ts';

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
