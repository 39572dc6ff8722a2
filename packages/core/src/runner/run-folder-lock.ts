import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { KolmoError } from '../errors.ts';
import { processAlive } from './process-alive.ts';

export const lockFileName = '.kolmo-lock';

interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly started: string;
}

/**
 * One writer per output folder: `.kolmo-lock` is created exclusively (O_EXCL, atomic on local filesystems) and
 * names its owner. A second `kolmo run` into the folder is refused while the owner lives; the lock of a process
 * that died (killed, power cut) is taken over. Returns the release function.
 */
export function lockRunFolder(outDir: string): () => void {
  const path = join(outDir, lockFileName);
  const owner: LockOwner = { pid: process.pid, host: hostname(), started: new Date().toISOString() };
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(path, `${JSON.stringify(owner)}\n`, { flag: 'wx' });
      return () => {
        try {
          unlinkSync(path);
        } catch {
          // already gone: nothing to release
        }
      };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') throw new KolmoError('output', `output folder ${outDir} is not writable: ${code ?? error}`, { cause: error });
      const holder = readOwner(path);
      const stale = holder !== undefined && holder.host === owner.host && !processAlive(holder.pid);
      if (!stale || attempt > 0) {
        throw new KolmoError(
          'output',
          `output folder ${outDir} is in use by another kolmo run` +
            (holder ? ` (pid ${holder.pid} on ${holder.host}, since ${holder.started})` : '') +
            `: wait for it to finish or choose another --out` +
            (holder ? '' : ` (if no run is writing there, delete ${path})`),
        );
      }
      try {
        unlinkSync(path); // its owner is gone: take the folder over
      } catch {
        // another process took it over first; the next attempt says who holds it
      }
    }
  }
}

function readOwner(path: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(readFileSync(path, 'utf8')) as LockOwner;
    return typeof owner.pid === 'number' && typeof owner.host === 'string' ? owner : undefined;
  } catch {
    return undefined;
  }
}
