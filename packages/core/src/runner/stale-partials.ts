import { readdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { processAlive } from './process-alive.ts';

/** `AtomicFile`'s temporary names: `.<name>.partial-<pid>`. */
const partialName = /^\..+\.partial-(\d+)$/;

/**
 * Deletes the partial files that processes which no longer run left in a folder and its sub-folders (a run
 * killed with SIGKILL or by a power cut cannot clean up after itself). Those of living processes are kept.
 * Returns the paths removed.
 */
export function removeStalePartials(dir: string, depth = 2): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (depth > 0) removed.push(...removeStalePartials(path, depth - 1));
      continue;
    }
    const pid = partialName.exec(entry.name)?.[1];
    if (pid === undefined || processAlive(Number(pid))) continue;
    try {
      unlinkSync(path);
      removed.push(path);
    } catch {
      // gone already
    }
  }
  return removed;
}
