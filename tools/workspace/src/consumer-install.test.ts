import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { publint } from 'publint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listWorkspacePackages } from './workspace-packages.ts';

/**
 * kolmo as a team outside this repository gets it: every package packed with `npm pack`, installed from the
 * tarballs into a fresh project outside the workspace (registry dependencies from the npm cache), and run with
 * plain Node: no tsx, no source condition. The project also holds one plugin of each kind made by
 * `kolmo new plugin`, sharing one `npm install`, each built, tested, linted and typechecked as generated.
 * Needs the build (Nx runs it first: this package depends on every publishable one).
 */
const root = resolve(import.meta.dirname, '../../..');
const publishable = listWorkspacePackages(root).filter((pkg) => pkg.publishable);
const kinds = ['predictor', 'generator', 'tokenizer', 'sink', 'prior', 'llm-backend'];
const work = mkdtempSync(join(tmpdir(), 'kolmo-consumer-'));
const tarballs = join(work, 'tarballs');
const project = join(work, 'project');
const packed = new Map<string, string>(); // package name → tarball file

afterAll(() => rmSync(work, { recursive: true, force: true }));

function run(command: string, args: readonly string[], cwd: string): string {
  const env = { ...process.env, NODE_OPTIONS: '', npm_config_prefer_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false' };
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} (in ${cwd}) exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

beforeAll(() => {
  const unbuilt = publishable.filter((pkg) => !existsSync(join(root, pkg.dir, 'dist/index.js'))).map((pkg) => pkg.dir);
  if (unbuilt.length > 0) throw new Error(`not built: ${unbuilt.join(', ')} (run \`npm run build\`; \`npm test\` does)`);
  mkdirSync(tarballs);
  const listing = JSON.parse(
    run('npm', ['pack', '--json', '--pack-destination', tarballs, ...publishable.flatMap((pkg) => ['-w', pkg.dir])], root),
  ) as { name: string; filename: string }[];
  for (const { name, filename } of listing) packed.set(name, join(tarballs, filename));

  mkdirSync(join(project, 'plugins'), { recursive: true });
  for (const kind of kinds) {
    run(process.execPath, [join(root, 'apps/cli/bin/kolmo.mjs'), 'new', 'plugin', `@team/kolmo-plugin-${kind}-demo`, '--kind', kind, '--dir', `${kind}-demo`], join(project, 'plugins'));
  }
  // Every @kolmo package from its tarball, also where another tarball or a generated plugin depends on it.
  const fromTarballs = Object.fromEntries([...packed].map(([name, file]) => [name, `file:${file}`]));
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'kolmo-consumer', private: true, type: 'module', workspaces: ['plugins/*'], dependencies: fromTarballs, overrides: fromTarballs }, null, 2),
  );
  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], project);
}, 900_000);

describe('the packages as published', () => {
  it('npm publish --dry-run accepts every package', () => {
    const output = run('npm', ['publish', '--dry-run', ...publishable.flatMap((pkg) => ['-w', pkg.dir])], root);
    for (const pkg of publishable) expect(output).toContain(`+ ${pkg.manifest.name}@${pkg.manifest.version}`);
  }, 300_000);

  it('pack every package with its build and sources, without tests or fixtures, and publint finds nothing', async () => {
    expect([...packed.keys()].sort()).toEqual(publishable.map((pkg) => pkg.manifest.name).sort());
    for (const [name, file] of packed) {
      const files = execFileSync('tar', ['-tzf', file], { encoding: 'utf8' }).trim().split('\n');
      expect(files, name).toContain('package/dist/index.js');
      expect(files, name).toContain('package/dist/index.d.ts');
      expect(files.filter((f) => /\.test\.|\.fixture\.|\/fixtures\/|tsbuildinfo|cli-harness|package\/(dist|src)\/.+\/testing\//.test(f)), name).toEqual([]);
      const bytes = readFileSync(file);
      const tarball = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
      const { messages } = await publint({ pack: { tarball }, level: 'suggestion' });
      expect(messages.map((message) => `${message.code} ${message.path.join('.')}`), name).toEqual([]);
    }
  }, 300_000);

  it('installs without tsx and runs a spec with a built-in stage, a kolmo plugin and a third-party plugin, with plain node', () => {
    expect(existsSync(join(project, 'node_modules/tsx'))).toBe(false);
    run('npm', ['run', 'build', '-w', '@team/kolmo-plugin-predictor-demo'], project);
    writeFileSync(
      join(project, 'spec.yaml'),
      [
        'plugins: ["@kolmo/plugin-priors", "@team/kolmo-plugin-predictor-demo"]',
        'seed: 5',
        'pipeline:',
        '  generator: { type: syntax-knowledge, documents: 200, prior: { type: dirichlet-process, concentration: 2 } }',
        '  tokenizer: { type: slot-word }',
        '  predictors: [{ type: oracle }, { type: predictor-demo }]',
        '  sinks: [{ type: arrow-ipc, records: documents }]',
        '',
      ].join('\n'),
    );
    const summary = JSON.parse(run('npx', ['kolmo', 'run', 'spec.yaml', '--out', 'out', '--json', '--quiet'], project));
    expect(summary).toBeDefined();
    const manifest = JSON.parse(readFileSync(join(project, 'out/manifest.json'), 'utf8')) as { plugins: { name: string; package?: string; version?: string; entry?: string }[] };
    expect(manifest.plugins).toEqual(
      expect.arrayContaining([
        { name: '@kolmo/plugin-priors', package: '@kolmo/plugin-priors', version: '0.1.0' },
        { name: '@team/kolmo-plugin-predictor-demo', package: '@team/kolmo-plugin-predictor-demo', version: '0.1.0' },
        { name: '@kolmo/generator', package: '@kolmo/generator', version: '0.1.0' },
      ]),
    );
    const metrics = readFileSync(join(project, 'out/metrics.json'), 'utf8');
    expect(metrics).toContain('predictor-demo');
    // The byte-cm model loads its .wasm from dist: real coding round-trips a file.
    writeFileSync(join(project, 'text.txt'), 'the cat sat on the mat; '.repeat(200));
    run('npx', ['kolmo', 'compress', 'text.txt', '-m', 'byte-cm'], project);
    run('npx', ['kolmo', 'decompress', 'text.txt.kolmo', '-o', 'back.txt'], project);
    expect(readFileSync(join(project, 'back.txt'), 'utf8')).toBe(readFileSync(join(project, 'text.txt'), 'utf8'));
  }, 300_000);

  it('refuses a plugin built for another @kolmo/core range, naming both versions', () => {
    const future = join(project, 'future-plugin');
    cpSync(join(project, 'plugins/predictor-demo'), future, { recursive: true, filter: (path) => !path.includes('node_modules') });
    const manifest = JSON.parse(readFileSync(join(future, 'package.json'), 'utf8'));
    writeFileSync(join(future, 'package.json'), JSON.stringify({ ...manifest, peerDependencies: { '@kolmo/core': '^9.0.0' } }));
    writeFileSync(join(project, 'future.yaml'), 'plugins: ["./future-plugin"]\npipeline: { generator: { type: text-file, path: text.txt }, tokenizer: { type: bytes }, predictors: [{ type: adaptive-bytes }] }\n');
    const result = spawnSync('npx', ['kolmo', 'validate', 'future.yaml'], { cwd: project, encoding: 'utf8' });
    expect(result.status).toBe(4);
    expect(result.stderr).toContain('(@team/kolmo-plugin-predictor-demo@0.1.0) requires @kolmo/core ^9.0.0, but the running @kolmo/core is 0.1.0');
  });

  it('docs/plugin-authors.md: every command in it runs, from `kolmo new plugin` to `npm publish --dry-run`', () => {
    const guide = readFileSync(join(root, 'docs/plugin-authors.md'), 'utf8');
    const commands = [...guide.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((block) => block[1].split('\n').filter((line) => line.trim() !== ''));
    const spec = /```yaml\n([\s\S]*?)```/.exec(guide)![1];
    expect(commands[0]).toMatch(/^npx kolmo new plugin /);
    expect(commands.at(-1)).toBe('npm publish --dry-run');
    let cwd = join(project, 'plugins');
    for (const command of commands) {
      const [program, ...args] = command.split(/\s+/);
      if (program === 'cd') {
        cwd = join(cwd, args[0]);
        continue;
      }
      if (command.includes('my.yaml')) {
        writeFileSync(join(cwd, 'my.yaml'), spec);
        writeFileSync(join(cwd, 'corpus.txt'), 'hello plugin world\n');
      }
      const output = run(program, args, cwd);
      if (command.startsWith('npx kolmo plugins')) expect(output).toMatch(/@team\/kolmo-plugin-uniform@0\.1\.0/);
    }
    const metrics = readFileSync(join(cwd, 'runs/my/metrics.json'), 'utf8');
    expect(metrics).toContain('uniform');
  }, 900_000);

  // The predictor kind went through all four in the guide's commands above.
  it.each(kinds.filter((kind) => kind !== 'predictor'))('a generated %s plugin builds, typechecks, passes its test and lint as generated', (kind) => {
    const dir = join(project, 'plugins', `${kind}-demo`);
    for (const script of ['build', 'typecheck', 'test', 'lint']) run('npm', ['run', script], dir);
    expect(existsSync(join(dir, 'dist/index.js'))).toBe(true);
    expect(existsSync(join(dir, 'dist/index.d.ts'))).toBe(true);
  }, 300_000);
});
