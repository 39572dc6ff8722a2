import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: 'sink-parquet', include: ['src/**/*.test.ts'] } });
