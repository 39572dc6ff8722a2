import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { coreVersion, KolmoError } from '@kolmo/core';
import { scaffoldKinds, stageTemplate, type ScaffoldKind } from './plugin-stage-templates.ts';

/**
 * The tool versions a new plugin starts with: the ones kolmo itself is built and tested with (a test checks
 * they match the workspace's), so a generated package builds, tests and lints the way kolmo's own plugins do.
 */
export const pluginToolVersions = {
  '@types/node': '20.19.43',
  eslint: '9.39.5',
  typescript: '5.9.3',
  'typescript-eslint': '8.74.0',
  vitest: '4.1.12',
} as const;

export interface ScaffoldOptions {
  /** The npm package name: `kolmo-plugin-x` or `@team/kolmo-plugin-x`. */
  readonly name: string;
  readonly kind: string;
  /** The folder to create (default: the name without its scope, in the working directory). */
  readonly dir?: string;
}

/** Writes a plugin package ready to build, test, lint and publish; returns its folder and the files written. */
export function scaffoldPlugin({ name, kind, dir }: ScaffoldOptions): { dir: string; type: string; files: string[] } {
  if (!/^(@[a-z0-9][a-z0-9._-]*\/)?[a-z0-9][a-z0-9._-]*$/.test(name)) {
    throw new KolmoError('usage', `plugin name "${name}" is not a valid npm package name (lowercase, e.g. kolmo-plugin-mine or @team/kolmo-plugin-mine)`);
  }
  if (!(scaffoldKinds as readonly string[]).includes(kind)) {
    throw new KolmoError('usage', `unknown plugin kind "${kind}"; one of: ${scaffoldKinds.join(', ')}`);
  }
  const unscoped = name.replace(/^@[^/]+\//, '');
  const type = unscoped.replace(/^kolmo-(plugin-)?/, '') || unscoped;
  const target = resolve(dir ?? unscoped);
  if (existsSync(target) && readdirSync(target).length > 0) {
    throw new KolmoError('output', `${target} already exists and is not empty: choose another name or --dir`);
  }
  const stage = stageTemplate(kind as ScaffoldKind, type);
  const files: Record<string, string> = {
    'package.json': json(packageJson(name, kind, stage.description)),
    'tsconfig.json': json(typecheckConfig),
    'tsconfig.build.json': json(buildConfig),
    'eslint.config.js': eslintConfig,
    '.gitignore': 'node_modules/\ndist/\n',
    'README.md': readme(name, kind as ScaffoldKind, type, stage.description, stage.specExample),
    'src/index.ts': stage.index,
    'src/index.test.ts': stage.test,
  };
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(join(target, file, '..'), { recursive: true });
    writeFileSync(join(target, file), content);
  }
  return { dir: target, type, files: Object.keys(files) };
}

function packageJson(name: string, kind: string, description: string) {
  return {
    name,
    version: '0.1.0',
    description: `kolmo ${kind}: ${description}`,
    keywords: ['kolmo', 'kolmo-plugin', kind],
    license: 'MIT',
    type: 'module',
    engines: { node: '>=20.19' },
    exports: {
      '.': { types: './dist/index.d.ts', import: './dist/index.js', default: './dist/index.js' },
      './package.json': './package.json',
    },
    files: ['dist', '!dist/**/*.test.*'],
    scripts: {
      build: 'tsc -p tsconfig.build.json',
      typecheck: 'tsc -p tsconfig.json',
      test: 'vitest run',
      lint: 'eslint src',
      prepack: 'npm run build',
    },
    // One core per process: kolmo's loader checks this range against the core that runs the plugin.
    peerDependencies: { '@kolmo/core': `^${coreVersion}` },
    devDependencies: { '@kolmo/core': coreVersion, ...pluginToolVersions },
  };
}

const typecheckConfig = {
  compilerOptions: {
    target: 'ES2023',
    lib: ['ES2023'],
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    types: ['node'],
    strict: true,
    allowImportingTsExtensions: true,
    rewriteRelativeImportExtensions: true,
    verbatimModuleSyntax: true,
    isolatedModules: true,
    skipLibCheck: true,
    noEmit: true,
  },
  include: ['src/**/*.ts'],
};

const buildConfig = {
  extends: './tsconfig.json',
  compilerOptions: { noEmit: false, declaration: true, rootDir: 'src', outDir: 'dist' },
  exclude: ['src/**/*.test.ts'],
};

const eslintConfig = `import tseslint from 'typescript-eslint';

export default tseslint.config({ ignores: ['dist/**'] }, ...tseslint.configs.recommended);
`;

function readme(name: string, kind: ScaffoldKind, type: string, description: string, specExample: string): string {
  return `# ${name}

A [kolmo](https://github.com/kolmo/kolmo) ${kind} plugin: \`${type}\` — ${description}.

## Use it

\`\`\`sh
npm install ${name}
\`\`\`

\`\`\`yaml
plugins: ["${name}"]
pipeline:
  ${specExample}
\`\`\`

\`npx kolmo plugins --spec my.yaml\` lists the stage with its fields.

## Develop

\`\`\`sh
npm install
npm run build       # tsc → dist/ (JavaScript + declarations)
npm test            # vitest, with @kolmo/core/testing
npm run lint
npm run typecheck
npm publish         # builds first (prepack); peerDependencies say which @kolmo/core it runs with
\`\`\`
`;
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
