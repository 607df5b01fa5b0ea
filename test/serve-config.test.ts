/** `wasmnn serve` settings: flags over WASMNN_* variables over defaults, and bad values named by where they came from. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { SERVE_DEFAULTS, serveConfig } from '../src/cli/serve-config.js';

const ROOT = join(import.meta.dirname, '..');

test('defaults with neither flags nor variables', () => {
  assert.equal(serveConfig({}, {}), SERVE_DEFAULTS);
  assert.equal(SERVE_DEFAULTS, { port: 8080, host: '127.0.0.1', model: undefined, workers: 1, maxBodyMb: 10, maxMegapixels: 16, accessLog: 'off', metrics: true });
});

test('every setting comes from its variable; an empty variable counts as unset', () => {
  const env = {
    WASMNN_PORT: '9000',
    WASMNN_HOST: '0.0.0.0',
    WASMNN_MODEL: '/models/digits',
    WASMNN_WORKERS: 'auto',
    WASMNN_MAX_BODY_MB: '4',
    WASMNN_MAX_MEGAPIXELS: '2',
    WASMNN_ACCESS_LOG: 'json',
    WASMNN_METRICS: '0',
  };
  assert.equal(serveConfig({}, env), { port: 9000, host: '0.0.0.0', model: '/models/digits', workers: availableParallelism(), maxBodyMb: 4, maxMegapixels: 2, accessLog: 'json', metrics: false });
  assert.equal(serveConfig({}, { WASMNN_PORT: '', WASMNN_METRICS: '' }), SERVE_DEFAULTS);
});

test('a flag wins over its variable', () => {
  const config = serveConfig({ port: 0, workers: 2, metrics: true, accessLog: 'off' }, { WASMNN_PORT: '9000', WASMNN_WORKERS: '4', WASMNN_METRICS: 'false', WASMNN_ACCESS_LOG: 'json' });
  assert.is(config.port, 0);
  assert.is(config.workers, 2);
  assert.is(config.metrics, true);
  assert.is(config.accessLog, 'off');
});

test('a bad variable is an error naming it, the rule and the value', () => {
  const bad: [Record<string, string>, RegExp][] = [
    [{ WASMNN_PORT: 'http' }, /^WASMNN_PORT must be an integer, got 'http'$/],
    [{ WASMNN_PORT: '70000' }, /^WASMNN_PORT must be 0\.\.65535, got 70000$/],
    [{ WASMNN_WORKERS: '0' }, /^WASMNN_WORKERS must be a positive integer, got '0'$/],
    [{ WASMNN_MAX_BODY_MB: '1.5' }, /^WASMNN_MAX_BODY_MB must be a positive integer, got '1\.5'$/],
    [{ WASMNN_ACCESS_LOG: 'text' }, /^WASMNN_ACCESS_LOG must be one of json, off, got 'text'$/],
    [{ WASMNN_METRICS: 'yes' }, /^WASMNN_METRICS must be 1, 0, true or false, got 'yes'$/],
  ];
  for (const [env, message] of bad) assert.throws(() => serveConfig({}, env), message, JSON.stringify(env));
});

test('wasmnn serve exits 1 naming a bad variable, and a bad flag by its flag', async () => {
  const run = (args: string[], env: Record<string, string>) =>
    new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = execFile(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'serve', ...args], { env: { ...process.env, ...env } }, (_err, _out, stderr) => resolve({ code: child.exitCode, stderr }));
    });
  const fromEnv = await run([], { WASMNN_PORT: 'eighty' });
  assert.is(fromEnv.code, 1);
  assert.match(fromEnv.stderr, /WASMNN_PORT must be an integer, got 'eighty'/);
  const fromFlag = await run(['--access-log', 'xml'], {});
  assert.is(fromFlag.code, 1);
  assert.match(fromFlag.stderr, /--access-log must be one of json, off, got 'xml'/);
});

test.run();
