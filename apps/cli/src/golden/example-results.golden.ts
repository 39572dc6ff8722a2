import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { filesUnder, kolmo } from '../cli-harness.ts';

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

/**
 * SHA-256 of every deterministic result file of a `kolmo run` output folder, by relative path: every JSON file
 * (metrics.json, metrics-table.json, fits.json, the analysis sinks' tables) except manifest.json, which holds
 * timings, paths and versions, and the completion marker run-complete.json, which holds the manifests' digests.
 * Same spec and seed ⇒ same map.
 */
function runOutputHashes(outDir: string): Record<string, string> {
  const hashes: Record<string, string> = {};
  for (const path of filesUnder(outDir).sort()) {
    if (!path.endsWith('.json') || path.endsWith('manifest.json') || path.endsWith('run-complete.json')) continue;
    hashes[path] = createHash('sha256').update(readFileSync(`${outDir}/${path}`)).digest('hex');
  }
  return hashes;
}
