/**
 * `wasmnn serve --workers 2`, configured by environment variables only: a scrape of /metrics on
 * either worker counts the requests both answered (merged by the primary), every worker is ready,
 * and the JSON access log names the worker that answered.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { join } from 'node:path';
import type { AccessLogEntry } from '../src/server/observe.js';
import { value } from './helpers/prometheus.js';

const ROOT = join(import.meta.dirname, '..');

/** One request on a new connection, so the cluster's round robin spreads them over the workers. */
function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, { agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
}

test('--workers 2 from WASMNN_* variables: /metrics covers both workers, both are ready, the access log names each', async () => {
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'serve'], {
    env: { ...process.env, WASMNN_WORKERS: '2', WASMNN_PORT: '0', WASMNN_HOST: '127.0.0.1', WASMNN_ACCESS_LOG: 'json' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    const base = await new Promise<string>((resolve, reject) => {
      const timer = setInterval(() => {
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+) \(2 workers/.exec(out);
        if (m) {
          clearInterval(timer);
          resolve(m[1]!);
        }
      }, 20);
      void exited.then((code) => reject(new Error(`server exited ${code}: ${out}${err}`)));
    });
    const n = 20;
    for (let i = 0; i < n; i++) assert.is((await get(`${base}/healthz`)).status, 200);
    for (let i = 0; i < 4; i++) assert.equal(await get(`${base}/readyz`), { status: 200, body: '{"status":"ready"}' });

    const metrics = (await get(`${base}/metrics`)).body;
    assert.is(value(metrics, 'wasmnn_http_requests_total', { route: '/healthz', method: 'GET', status: '200' }), n);
    assert.is(value(metrics, 'wasmnn_http_requests_total', { route: '/readyz', method: 'GET', status: '200' }), 4);
    assert.is(value(metrics, 'wasmnn_http_request_duration_seconds_count', { route: '/healthz' }), n);
    assert.is(value(metrics, 'wasmnn_ready'), 2);
    assert.is(value(metrics, 'wasmnn_model_info', { model: 'compact', backend: 'wasm' }), 1);

    const healthz = out
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as AccessLogEntry)
      .filter((e) => e.route === '/healthz');
    assert.is(healthz.length, n);
    const byWorker = new Map<number, number>();
    for (const e of healthz) byWorker.set(e.worker, (byWorker.get(e.worker) ?? 0) + 1);
    assert.equal([...byWorker.keys()].sort(), [1, 2], 'both workers answered, so the total above is a merge');
  } finally {
    child.kill('SIGTERM');
  }
  assert.is(await exited, 0, err);
});

test.run();
