import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: 'coder', include: ['src/**/*.test.ts'] } });
