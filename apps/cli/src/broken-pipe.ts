/**
 * `kolmo schema | head` closes the pipe early: the rest of the output has no reader, which is not an error.
 * Node reports it as an EPIPE 'error' event on stdout (an uncaught exception with a stack if nobody listens).
 */
export function exitQuietlyOnBrokenPipe(stream: NodeJS.WriteStream = process.stdout): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}
