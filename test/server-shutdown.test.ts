// Graceful shutdown of a real `wasmnn serve` process: after SIGTERM, requests on connections it
// had already accepted are still answered (synchronous routes included), an upload in flight
// finishes, and the process exits 0 without an error.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request, type IncomingMessage } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { cachedFixtures } from './fixtures/generate.js';

const ROOT = join(import.meta.dirname, '..');

interface Served {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

function serve(args: string[] = []): Promise<Served> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'serve', '--port', '0', '--host', '127.0.0.1', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    const onData = (d: string): void => {
      out += d;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve({ child, url: m[1]!, output: () => out, exited });
    };
    child.stdout!.setEncoding('utf8').on('data', onData);
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d));
    void exited.then((code) => reject(new Error(`server exited (${code}) before listening:\n${out}`)));
    setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 30_000).unref();
  });
}

interface Answer {
  status: number;
  connection: string | undefined;
  body: string;
}

function get(url: string, agent: Agent): Promise<Answer> {
  return new Promise((resolve, reject) => {
    request(url, { agent }, (res) => collect(res).then(resolve, reject)).on('error', reject).end();
  });
}

function collect(res: IncomingMessage): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let body = '';
    res.setEncoding('utf8').on('data', (d: string) => (body += d));
    res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body }));
    res.on('error', reject);
  });
}

for (const args of [[], ['--workers', '2']]) test(`after SIGTERM, synchronous answers on open connections and an upload in flight complete; exit 0 ${args.join(' ')}`, async () => {
  const served = await serve(args);
  // Three keep-alive connections, opened before the signal.
  const agents = [0, 1, 2].map(() => new Agent({ keepAlive: true, maxSockets: 1 }));
  for (const agent of agents) assert.is((await get(`${served.url}/healthz`, agent)).status, 200);
  // An upload whose body is half sent when the signal arrives.
  const png = cachedFixtures().find((f) => f.kind === 'digit' && f.encoding === 'png-grey')!.bytes;
  let upload!: Promise<Answer>;
  const uploadReq = request(`${served.url}/api/predict`, { method: 'POST', agent: agents[2], headers: { 'content-type': 'image/png', 'content-length': png.length } });
  upload = new Promise((resolve, reject) => {
    uploadReq.on('response', (res) => collect(res).then(resolve, reject));
    uploadReq.on('error', reject);
  });
  uploadReq.write(png.subarray(0, png.length >> 1));
  await new Promise((r) => setTimeout(r, 100));

  served.child.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 100));
  const health = await get(`${served.url}/healthz`, agents[0]!);
  const page = await get(`${served.url}/`, agents[1]!);
  uploadReq.end(png.subarray(png.length >> 1));
  const predicted = await upload;

  assert.is(health.status, 200);
  assert.is(health.connection, 'close', 'answers after SIGTERM close their connection');
  assert.is(page.status, 200);
  assert.is(predicted.status, 200, predicted.body);
  assert.ok('digit' in JSON.parse(predicted.body) || 'digits' in JSON.parse(predicted.body), predicted.body);
  assert.is(await served.exited, 0, served.output());
  assert.not.match(served.output(), /ERR_HTTP_HEADERS_SENT|Error/);
  for (const agent of agents) agent.destroy();
});

/** Runs `wasmnn serve` to its end (it must end by itself): exit code and output. */
function serveUntilExit(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'serve', '--host', '127.0.0.1', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (output += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`serve ${args.join(' ')} did not exit:\n${output}`));
    }, 30_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

test('serve --workers 2 exits 1 with the worker\'s error when workers cannot start (bad model, busy port)', async () => {
  const bad = await serveUntilExit(['--workers', '2', '--port', '0', '--model', join(ROOT, 'no-such-model')]);
  assert.is(bad.code, 1, bad.output);
  assert.match(bad.output, /wasmnn: cannot load model/);
  assert.not.match(bad.output, /starting another/);
  const blocker = createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
  const port = (blocker.address() as AddressInfo).port;
  try {
    const busy = await serveUntilExit(['--workers', '2', '--port', String(port)]);
    assert.is(busy.code, 1, busy.output);
    assert.match(busy.output, /EADDRINUSE/);
  } finally {
    blocker.close();
  }
});

test.run();
