import { KolmoError } from '../errors.ts';

/** What the errno codes of a failed write mean to a user. */
const meanings: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'the file system is read-only',
  EIO: 'an input/output error of the device',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'a folder of that name is in the way',
  ENOTDIR: 'a file is in the way where a folder should be',
  EEXIST: 'a file of that name is in the way',
  ENOENT: 'its folder does not exist',
  EFBIG: 'the file is too large for the file system',
  ENAMETOOLONG: 'the name is too long',
};

/** The errno codes that mean "the output could not be written", whatever wrote it (exit code 6). */
export function isOutputErrno(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && ['ENOSPC', 'EDQUOT', 'EROFS', 'EIO', 'EFBIG'].includes(code);
}

/** A write that failed, as the `output` error (exit 6): what, and why in words, with the errno code. */
export function outputError(what: string, error: unknown): KolmoError {
  if (error instanceof KolmoError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const why = code ? `${meanings[code] ?? (error as Error).message} (${code})` : String((error as Error)?.message ?? error);
  return new KolmoError('output', `${what}: ${why}`, { cause: error });
}
