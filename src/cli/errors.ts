/** Prints a failure as one line, `wasmnn: <message>`, and sets exit code 1. */
export function reportError(error: unknown): void {
  const debug = process.env['WASMNN_DEBUG'] === '1';
  const message = error instanceof Error ? error.message : String(error);
  // Yargs' messages can span lines ("Invalid values:\n  Argument: ..."); keep one line.
  process.stderr.write(`wasmnn: ${message.replace(/\s*\n\s*/g, ' ').trim()}\n`);
  for (let e: unknown = error; debug && e instanceof Error; e = e.cause) {
    process.stderr.write(`${e === error ? '' : 'Caused by: '}${e.stack ?? e.message}\n`);
  }
  process.exitCode = 1;
}
