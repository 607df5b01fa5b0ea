/**
 * `wasmnn serve`'s settings from its flags and from WASMNN_* environment variables, the way
 * container platforms configure a server. A flag wins over the variable, the variable over the
 * default; an empty variable counts as unset. A bad value is an error naming the flag or the
 * variable it came from.
 */
import { availableParallelism } from 'node:os';
import { DEFAULT_LIMITS } from '../server/server.js';
import { CliError, integer, optionLabel as label, positiveInt } from './options.js';

export const ACCESS_LOG_FORMATS = ['json', 'off'] as const;
export type AccessLogFormat = (typeof ACCESS_LOG_FORMATS)[number];

export interface ServeConfig {
  port: number;
  host: string;
  /** Model directory; undefined: the pretrained model. */
  model: string | undefined;
  workers: number;
  maxBodyMb: number;
  maxMegapixels: number;
  accessLog: AccessLogFormat;
  metrics: boolean;
}

/** Each setting's variable; the flag is the kebab-case key (maxBodyMb → --max-body-mb). */
export const SERVE_ENV = {
  port: 'WASMNN_PORT',
  host: 'WASMNN_HOST',
  model: 'WASMNN_MODEL',
  workers: 'WASMNN_WORKERS',
  maxBodyMb: 'WASMNN_MAX_BODY_MB',
  maxMegapixels: 'WASMNN_MAX_MEGAPIXELS',
  accessLog: 'WASMNN_ACCESS_LOG',
  metrics: 'WASMNN_METRICS',
} as const satisfies Record<keyof ServeConfig, string>;

export const SERVE_DEFAULTS: ServeConfig = {
  port: 8080,
  host: '127.0.0.1',
  model: undefined,
  workers: 1,
  maxBodyMb: DEFAULT_LIMITS.maxBodyBytes / 2 ** 20,
  maxMegapixels: DEFAULT_LIMITS.maxPixels / 1e6,
  accessLog: 'off',
  metrics: true,
};

/** `name` is the flag's ('port') or the variable's ('WASMNN_PORT'), for the error message. */
export const parsePort = (name: string) => (v: unknown): number | undefined => {
  const port = integer(name)(v);
  if (port !== undefined && (port < 0 || port > 65535)) throw new CliError(`${label(name)} must be 0..65535, got ${port}`);
  return port;
};

export const parseWorkers = (name: string) => (v: unknown): number | undefined => (v === 'auto' ? availableParallelism() : positiveInt(name)(v));

export const parseAccessLog = (name: string) => (v: unknown): AccessLogFormat | undefined => {
  if (v === undefined) return undefined;
  if ((ACCESS_LOG_FORMATS as readonly unknown[]).includes(v)) return v as AccessLogFormat;
  throw new CliError(`${label(name)} must be one of ${ACCESS_LOG_FORMATS.join(', ')}, got '${String(v)}'`);
};

function parseSwitch(name: string, v: string): boolean {
  if (v === '1' || v === 'true') return true;
  if (v === '0' || v === 'false') return false;
  throw new CliError(`${name} must be 1, 0, true or false, got '${v}'`);
}

/** Fills every setting no flag gave from `env`, then from the defaults. */
export function serveConfig(flags: Partial<ServeConfig>, env: Record<string, string | undefined>): ServeConfig {
  const fromEnv = (key: keyof ServeConfig): string | undefined => {
    const value = env[SERVE_ENV[key]];
    return value === '' ? undefined : value;
  };
  const pick = <K extends keyof ServeConfig>(key: K, parse: (v: string) => ServeConfig[K] | undefined): ServeConfig[K] => {
    if (flags[key] !== undefined) return flags[key];
    const raw = fromEnv(key);
    const value = raw === undefined ? undefined : parse(raw);
    return value === undefined ? SERVE_DEFAULTS[key] : value;
  };
  return {
    port: pick('port', parsePort(SERVE_ENV.port)),
    host: pick('host', (v) => v),
    model: pick('model', (v) => v),
    workers: pick('workers', parseWorkers(SERVE_ENV.workers)),
    maxBodyMb: pick('maxBodyMb', positiveInt(SERVE_ENV.maxBodyMb)),
    maxMegapixels: pick('maxMegapixels', positiveInt(SERVE_ENV.maxMegapixels)),
    accessLog: pick('accessLog', parseAccessLog(SERVE_ENV.accessLog)),
    metrics: pick('metrics', (v) => parseSwitch(SERVE_ENV.metrics, v)),
  };
}
