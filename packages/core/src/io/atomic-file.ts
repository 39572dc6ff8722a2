import { createHash, type Hash } from 'node:crypto';
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { outputError } from './output-error.ts';

/**
 * A file written under a temporary name (`.name.partial-<pid>`) and renamed into place only on `commit`,
 * so an interrupted or failed run never leaves a file that looks whole. Each write is awaited: the caller is
 * paced by the disk, which keeps memory flat.
 */
export class AtomicFile {
  readonly path: string;
  readonly temporaryPath: string;
  private handle: FileHandle | undefined;
  private bytes = 0;
  // Hashed as written, so the run manifest never re-reads gigabytes of output.
  private readonly hash: Hash = createHash('sha256');

  private constructor(path: string, temporaryPath: string, handle: FileHandle) {
    this.path = path;
    this.temporaryPath = temporaryPath;
    this.handle = handle;
  }

  static async create(path: string): Promise<AtomicFile> {
    const temporaryPath = join(dirname(path), `.${basename(path)}.partial-${process.pid}`);
    try {
      return new AtomicFile(path, temporaryPath, await open(temporaryPath, 'w'));
    } catch (error) {
      throw outputError(`cannot write ${path}`, error);
    }
  }

  get size(): number {
    return this.bytes;
  }

  async write(chunk: Uint8Array): Promise<void> {
    if (!this.handle) throw new Error(`${this.path} is already closed`);
    let offset = 0;
    try {
      while (offset < chunk.length) {
        const { bytesWritten } = await this.handle.write(chunk, offset, chunk.length - offset);
        offset += bytesWritten;
      }
    } catch (error) {
      throw outputError(`cannot write ${this.path}`, error);
    }
    this.hash.update(chunk);
    this.bytes += chunk.length;
  }

  /** Flushes, closes and renames into place. */
  async commit(): Promise<string> {
    const handle = this.handle;
    if (!handle) throw new Error(`${this.path} is already closed`);
    this.handle = undefined;
    try {
      await handle.sync();
      await handle.close();
      await rename(this.temporaryPath, this.path);
    } catch (error) {
      await handle.close().catch(() => undefined);
      await unlink(this.temporaryPath).catch(() => undefined);
      throw outputError(`cannot write ${this.path}`, error);
    }
    committedDigests.set(this.path, this.hash.digest('hex'));
    return this.path;
  }

  /** Closes and deletes the partial file; safe to call twice. */
  async abort(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close().catch(() => undefined);
    await unlink(this.temporaryPath).catch(() => undefined);
  }
}

/** SHA-256 of files committed by this process, by path: the manifest takes them from here. */
const committedDigests = new Map<string, string>();

/** The SHA-256 of a file this process committed through AtomicFile (undefined if it did not). */
export function committedDigest(path: string): string | undefined {
  return committedDigests.get(path);
}

/** Writes a whole file atomically. */
export async function writeFileAtomic(path: string, content: string | Uint8Array): Promise<string> {
  const file = await AtomicFile.create(path);
  try {
    await file.write(typeof content === 'string' ? Buffer.from(content) : content);
    return await file.commit();
  } catch (error) {
    await file.abort();
    throw error;
  }
}
