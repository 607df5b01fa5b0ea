/**
 * What a cluster platform asks of one server process: /readyz 503 while the model loads and
 * during shutdown, 200 in between; /metrics in Prometheus text whose counters move with the
 * requests; one JSON access-log line per request with its X-Request-Id.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { closeSync, constants, copyFileSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultModelDir } from '../src/pretrained.js';
import { startServer, type RunningServer } from '../src/server/server.js';
import type { AccessLogEntry } from '../src/server/observe.js';
import { cachedFixtures } from './fixtures/generate.js';
import { parseWithPrometheusClient, value } from './helpers/prometheus.js';

const png = cachedFixtures(1).find((f) => f.name === 'digit-7-5-chalk-png-rgb')!;

async function getJson(url: string): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers };
}

const predict = (base: string, headers: Record<string, string> = {}) =>
  fetch(`${base}/api/predict`, { method: 'POST', headers: { 'Content-Type': 'image/png', ...headers }, body: new Uint8Array(png.bytes) });

test('/readyz is 503 with a reason while the model loads and 200 once it is loaded; /healthz answers throughout', async () => {
  // model.json is a named pipe: reading it waits until the test writes it, as a slow volume would.
  const dir = mkdtempSync(join(tmpdir(), 'wasmnn-slow-model-'));
  let server: RunningServer | undefined;
  try {
    copyFileSync(join(defaultModelDir(), 'group1-shard1of1.bin'), join(dir, 'group1-shard1of1.bin'));
    execFileSync('mkfifo', [join(dir, 'model.json')]);
    let listening!: (url: string) => void;
    const urlKnown = new Promise<string>((resolve) => (listening = resolve));
    const started = startServer({ modelDir: dir, port: 0, log: () => undefined, onListening: (url) => listening(url) });
    started.catch(() => undefined); // awaited below; this keeps a failure after a failed assertion from crashing the run
    // A server that loads before it listens never gets here: fail instead of waiting forever.
    const base = await Promise.race([urlKnown, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('not listening while the model loads')), 10_000).unref())]);

    const before = await getJson(`${base}/readyz`);
    assert.is(before.status, 503);
    assert.equal(before.body, { status: 'not ready', reason: 'loading the model' });
    assert.is(before.headers.get('retry-after'), '1');
    const health = await getJson(`${base}/healthz`);
    assert.is(health.status, 200);
    assert.is(health.body['model'], null);
    const early = await predict(base);
    assert.is(early.status, 503);
    assert.is(((await early.json()) as { code: string }).code, 'NOT_READY');
    const metrics = await (await fetch(`${base}/metrics`)).text();
    assert.is(value(metrics, 'wasmnn_ready'), 0);

    await writeFile(join(dir, 'model.json'), execFileSync('cat', [join(defaultModelDir(), 'model.json')]));
    server = await started;
    const after = await getJson(`${base}/readyz`);
    assert.is(after.status, 200);
    assert.equal(after.body, { status: 'ready' });
    assert.is((await predict(base)).status, 200);
  } finally {
    // If the test failed before writing model.json, a writer that opens and closes the pipe ends
    // the pending read (with invalid JSON), so the process can exit.
    if (!server) {
      try {
        closeSync(openSync(join(dir, 'model.json'), constants.O_WRONLY | constants.O_NONBLOCK));
      } catch {
        // no reader waiting
      }
    }
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('/readyz turns 503 "shutting down" once close() begins, on a connection opened before', async () => {
  const server = await startServer({ port: 0, log: () => undefined });
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const get = (path: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      request(`${server.url}${path}`, { agent }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
        .on('error', reject)
        .end();
    });
  try {
    assert.is((await get('/readyz')).status, 200);
    const closing = server.close();
    const during = await get('/readyz');
    assert.is(during.status, 503);
    assert.equal(JSON.parse(during.body), { status: 'not ready', reason: 'shutting down' });
    await closing;
  } finally {
    agent.destroy();
  }
});

test('/metrics: Prometheus text whose request counter, latency histogram and model info follow the requests', async () => {
  const server = await startServer({ port: 0, log: () => undefined });
  try {
    const scrape = async () => {
      const res = await fetch(`${server.url}/metrics`);
      assert.is(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
      return res.text();
    };
    const before = await scrape();
    for (let i = 0; i < 3; i++) assert.is((await predict(server.url)).status, 200);
    assert.is((await fetch(`${server.url}/no/such/path`)).status, 404);
    assert.is((await fetch(`${server.url}/api/predict`)).status, 405);
    const after = await scrape();

    const requests = (text: string, labels: Record<string, string>) => value(text, 'wasmnn_http_requests_total', labels);
    assert.is(requests(after, { route: '/api/predict', method: 'POST', status: '200' }) - requests(before, { route: '/api/predict', method: 'POST', status: '200' }), 3);
    assert.is(requests(after, { route: 'other', method: 'GET', status: '404' }) - requests(before, { route: 'other', method: 'GET', status: '404' }), 1);
    assert.is(requests(after, { route: '/api/predict', method: 'GET', status: '405' }), 1);
    // The first scrape is counted once it has been sent, so the second sees it.
    assert.is(requests(after, { route: '/metrics', method: 'GET', status: '200' }), 1);
    const count = (text: string) => value(text, 'wasmnn_http_request_duration_seconds_count', { route: '/api/predict' });
    assert.is(count(after) - count(before), 4);
    assert.is(value(after, 'wasmnn_http_request_duration_seconds_bucket', { route: '/api/predict', le: '+Inf' }), count(after));
    assert.ok(value(after, 'wasmnn_http_request_duration_seconds_sum', { route: '/api/predict' }) > 0);
    assert.is(value(after, 'wasmnn_model_info', { model: 'compact', backend: 'wasm' }), 1);
    assert.is(value(after, 'wasmnn_model_params'), ((await getJson(`${server.url}/healthz`)).body['model'] as { params: number }).params);
    assert.ok(value(after, 'wasmnn_model_load_seconds') > 0);
    assert.is(value(after, 'wasmnn_queue_depth', { queue: 'work' }), 0);
    assert.is(value(after, 'wasmnn_queue_depth', { queue: 'decode' }), 0);
    assert.is(value(after, 'wasmnn_ready'), 1);
    assert.ok(value(after, 'process_cpu_seconds_total') > 0);
    assert.ok(value(after, 'process_resident_memory_bytes') > 0);

    const families = parseWithPrometheusClient(after);
    if (families === null) {
      console.log('  (format check skipped: python3 has no prometheus_client; pip install prometheus_client)');
      return;
    }
    const byName = new Map(families.map((f) => [f.name, f]));
    assert.is(byName.get('wasmnn_http_requests')?.type, 'counter');
    assert.is(byName.get('wasmnn_http_request_duration_seconds')?.type, 'histogram');
    assert.is(byName.get('wasmnn_queue_depth')?.type, 'gauge');
    const predicted = byName.get('wasmnn_http_requests')!.samples.find(([n, l]) => n === 'wasmnn_http_requests_total' && l['route'] === '/api/predict' && l['status'] === '200');
    assert.is(predicted?.[2], requests(after, { route: '/api/predict', method: 'POST', status: '200' }));
  } finally {
    await server.close();
  }
});

test('/metrics is 404 when metrics are off', async () => {
  const server = await startServer({ port: 0, metrics: false, log: () => undefined });
  try {
    const res = await getJson(`${server.url}/metrics`);
    assert.is(res.status, 404);
    assert.match(String(res.body['error']), /metrics are off/);
  } finally {
    await server.close();
  }
});

test('access log: one JSON line per request with the client\'s X-Request-Id echoed, a new id for a missing or unsafe one, 499 for a client that left', async () => {
  const lines: string[] = [];
  const server = await startServer({ port: 0, log: () => undefined, accessLog: (line) => lines.push(line) });
  try {
    const given = await predict(server.url, { 'X-Request-Id': 'trace-0af7651916cd43dd' });
    const body = await given.arrayBuffer();
    assert.is(given.headers.get('x-request-id'), 'trace-0af7651916cd43dd');
    const unsafe = await fetch(`${server.url}/healthz`, { headers: { 'X-Request-Id': 'a b"c' } });
    await unsafe.arrayBuffer();
    const generated = unsafe.headers.get('x-request-id') ?? '';
    assert.match(generated, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);

    // A client that sends half its upload and hangs up.
    await new Promise<void>((resolve) => {
      const req = request(`${server.url}/api/predict?multi=0`, { method: 'POST', headers: { 'Content-Type': 'image/png', 'Content-Length': '5000' } });
      req.on('error', () => resolve());
      req.write(Buffer.alloc(100));
      setTimeout(() => req.destroy(), 50);
    });
    const deadline = Date.now() + 2_000;
    while (lines.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));

    const entries = lines.map((l) => JSON.parse(l) as AccessLogEntry);
    assert.is(entries.length, 3, lines.join('\n'));
    const [first, second, third] = entries as [AccessLogEntry, AccessLogEntry, AccessLogEntry];
    assert.equal(Object.keys(first).sort(), ['bytes', 'durationMs', 'method', 'path', 'requestId', 'route', 'status', 'time', 'worker']);
    assert.is(first.method, 'POST');
    assert.is(first.route, '/api/predict');
    assert.is(first.status, 200);
    assert.is(first.bytes, body.byteLength);
    assert.is(first.requestId, 'trace-0af7651916cd43dd');
    assert.is(first.worker, 0);
    assert.ok(first.durationMs > 0 && first.durationMs < 10_000, String(first.durationMs));
    assert.ok(Math.abs(Date.parse(first.time) - Date.now()) < 60_000, first.time);
    assert.is(second.route, '/healthz');
    assert.is(second.requestId, generated);
    assert.is(third.status, 499);
    assert.is(third.path, '/api/predict'); // the query string stays out of the log
  } finally {
    await server.close();
  }
});

test.run();
