import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kolmo } from '../cli-harness.ts';
import { runOutputHashes } from './run-output-hashes.ts';

/**
 * "Unchanged results": every example of examples/ at its default size, run as `kolmo run examples/X.yaml`, gives
 * the result files whose SHA-256 were recorded from the code before the issue-8 restructuring
 * (example-results.sha256.json; re-recorded once since, when the metrics table came to name its manifests and
 * the fits moved to log residuals and studentized intervals: every metrics.json, analysis table and metrics row
 * was checked identical then). Slow (12 minutes on 2 cores alone, 33 when shared with other heavy jobs), so it is its own vitest project:
 * `npm run test:golden` (.ci/run runs it after `npm test`).
 */
const recorded: Record<string, Record<string, string>> = JSON.parse(readFileSync(join(import.meta.dirname, 'example-results.sha256.json'), 'utf8'));
const examples = join(import.meta.dirname, '../../../../examples');

describe('every example gives byte-identical results', () => {
  for (const [name, hashes] of Object.entries(recorded)) {
    it(name, async () => {
      const out = mkdtempSync(join(tmpdir(), `kolmo-golden-${name}-`));
      try {
        const { code, stderr } = await kolmo('run', join(examples, `${name}.yaml`), '--out', out, '--quiet');
        expect(code, stderr).toBe(0);
        expect(runOutputHashes(out)).toEqual(hashes);
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    });
  }
});
