import { defineProject } from 'vitest/config';

/** The interval-coverage checks (about 25 minutes on one core): run on demand with `npm run test:coverage`. */
export default defineProject({ test: { name: 'fitter-coverage', include: ['src/**/*.coverage-test.ts'], testTimeout: 3_600_000 } });
