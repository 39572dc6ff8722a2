import { defineProject } from 'vitest/config';

export default defineProject({
  ssr: { resolve: { conditions: ['@kolmo/source', 'module', 'node', 'development|production'] } },
  test: { name: 'plugin-llm-tgi', include: ['src/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 60_000 } });
