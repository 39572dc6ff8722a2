import { defineProject } from 'vitest/config';

export default defineProject({
  ssr: { resolve: { conditions: ['@kolmo/source', 'module', 'node', 'development|production'] } },
  test: { name: 'plugin-priors', include: ['src/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 120_000 } });
