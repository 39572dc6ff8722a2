import { defineProject } from 'vitest/config';

export default defineProject({
  ssr: { resolve: { conditions: ['@kolmo/source', 'module', 'node', 'development|production'] } },
  test: { name: 'docs-check', include: ['src/**/*.test.ts'] } });
