import { defineProject } from 'vitest/config';

// The slow "unchanged results" check: every example at default size against recorded hashes (`npm run test:golden`).
export default defineProject({ root: import.meta.dirname, test: { name: 'golden', include: ['src/golden/**/*.golden.ts'], testTimeout: 1_200_000, hookTimeout: 120_000 } });
