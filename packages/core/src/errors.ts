/**
 * Every failure a user can cause has a kind, and each kind has a documented exit code (see the CLI's --help).
 * The message names what was wrong and where; `details` lists further problems when there are several.
 */
export const ExitCode = {
  ok: 0,
  failed: 1,
  usage: 2,
  invalidSpec: 3,
  plugin: 4,
  input: 5,
  output: 6,
  interrupted: 130,
} as const;

export type ErrorKind = Exclude<keyof typeof ExitCode, 'ok'>;

export class KolmoError extends Error {
  readonly kind: ErrorKind;
  readonly details: readonly string[];

  constructor(kind: ErrorKind, message: string, options: { details?: readonly string[]; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'KolmoError';
    this.kind = kind;
    this.details = options.details ?? [];
  }

  get exitCode(): number {
    return ExitCode[this.kind];
  }
}

export function isKolmoError(error: unknown): error is KolmoError {
  return error instanceof KolmoError;
}
