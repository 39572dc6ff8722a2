import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: 'sink-corpus', include: ['src/**/*.test.ts'] } });
