import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: 'predictor', include: ['src/**/*.test.ts'] } });
