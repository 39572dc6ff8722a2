import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { filesUnder } from '../cli-harness.ts';

/**
 * SHA-256 of every deterministic result file of a `kolmo run` output folder, by relative path: every JSON file
 * (metrics.json, metrics-table.json, fits.json, the analysis sinks' tables) except manifest.json, which holds
 * timings, paths and versions, and the completion marker run-complete.json, which holds the manifests' digests.
 * Same spec and seed ⇒ same map.
 */
export function runOutputHashes(outDir: string): Record<string, string> {
  const hashes: Record<string, string> = {};
  for (const path of filesUnder(outDir).sort()) {
    if (!path.endsWith('.json') || path.endsWith('manifest.json') || path.endsWith('run-complete.json')) continue;
    hashes[path] = createHash('sha256').update(readFileSync(`${outDir}/${path}`)).digest('hex');
  }
  return hashes;
}
