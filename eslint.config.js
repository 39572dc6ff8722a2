// Lint: typescript-eslint's recommended rules, and Nx module boundaries from the projects' tags (docs/architecture.md,
// "Layers"): packages never import plugins or apps; plugins import the core packages only, never each other; and by
// layer: foundation (core, entropy-coding) ← components (priors) ← stages, one package per stage kind, which never
// import each other (analysis → fitter is the one arrow: its table fitters are fitters) ← model packages (the
// Syntax-Knowledge model, vertical: its own stages on the generic ones) ← apps and tools.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'runs/**', '.nx/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@nx/enforce-module-boundaries': ['error', moduleBoundaries({ testsMayUseStages: false })],
    },
  },
  {
    // A test may drive its stage with a real stage of another kind (a real tokenizer making the token batches of a
    // predictor's test): real parts over hand-made stand-ins. Production code keeps the layer rule.
    files: ['**/*.test.ts'],
    rules: { '@nx/enforce-module-boundaries': ['error', moduleBoundaries({ testsMayUseStages: true })] },
  },
);

function moduleBoundaries({ testsMayUseStages }) {
  const stageDeps = ['layer:foundation', 'layer:component', ...(testsMayUseStages ? ['layer:stage'] : [])];
  return {
    allow: [],
    // Lazy imports exist for benchmarks' child processes and optional heavy engines, not for bundling:
    // a Node CLI has no chunks to split, so mixing lazy and static imports is fine.
    checkDynamicDependenciesExceptions: ['^@kolmo/.*$'],
    depConstraints: [
      { sourceTag: 'scope:core', onlyDependOnLibsWithTags: ['scope:core'] },
      { sourceTag: 'scope:plugin', onlyDependOnLibsWithTags: ['scope:core'] },
      { sourceTag: 'scope:app', onlyDependOnLibsWithTags: ['scope:core', 'scope:plugin'] },
      { sourceTag: 'scope:tools', onlyDependOnLibsWithTags: ['scope:core', 'scope:plugin', 'scope:app'] },
      { sourceTag: 'layer:foundation', onlyDependOnLibsWithTags: ['layer:foundation'] },
      // a component may build on a shared component library (the LLM backends on llm-http / llm-inproc)
      { sourceTag: 'layer:component', onlyDependOnLibsWithTags: ['layer:foundation', 'layer:component'] },
      ...['generator', 'tokenizer', 'predictor', 'coder', 'fitter', 'report', 'sink'].map((kind) => ({
        sourceTag: `kind:${kind}`,
        onlyDependOnLibsWithTags: stageDeps,
      })),
      { sourceTag: 'kind:analysis', onlyDependOnLibsWithTags: [...stageDeps, 'kind:fitter'] },
      { sourceTag: 'layer:model', onlyDependOnLibsWithTags: ['layer:foundation', 'layer:component', 'layer:stage'] },
    ],
  };
}
