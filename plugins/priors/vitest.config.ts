import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: 'plugin-priors', include: ['src/**/*.test.ts'] } });
