import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: 'fitter', include: ['src/**/*.test.ts'] } });
