/**
 * The server's static files over real HTTP: brotli/gzip chosen by Accept-Encoding (the
 * decompressed bytes are the file on disk), ETag + 304, caching (immutable under the versioned
 * /v/<build>/ URLs the page uses, revalidated elsewhere), and the cross-origin isolation headers
 * that let the page start the library's second thread (the browser side is in
 * browser-page-layout.test.ts). Needs dist/ built (npm run build), as the page does.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { request, type IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { startServer, type RunningServer } from '../src/server/server.js';
import { DIST_DIR } from '../src/server/static-files.js';
import { chooseEncoding } from '../src/server/send-static.js';
import { encodeFile } from '../src/server/encoded-file.js';
import { routeOf } from '../src/server/observe.js';

let server: RunningServer;

test.before(async () => {
  server = await startServer({ port: 0, host: '127.0.0.1', log: (line) => assert.unreachable(line) });
});

test.after(() => server.close());

interface Raw {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** GET without any automatic decompression (fetch would undo the encoding). */
function get(path: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    request(`${server.url}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

function decoded(r: Raw): Buffer {
  const encoding = r.headers['content-encoding'];
  if (encoding === 'br') return brotliDecompressSync(r.body);
  if (encoding === 'gzip') return gunzipSync(r.body);
  assert.is(encoding, undefined, 'no other encoding');
  return r.body;
}

function isIsolated(r: Raw, what: string): void {
  assert.is(r.headers['cross-origin-embedder-policy'], 'require-corp', `${what}: COEP`);
  assert.is(r.headers['cross-origin-resource-policy'], 'same-origin', `${what}: CORP`);
  assert.is(r.headers['cross-origin-opener-policy'], 'same-origin', `${what}: COOP`);
}

/** The page's versioned prefix, /v/<build>/, as its HTML names it. */
async function assetPrefix(): Promise<string> {
  const html = decoded(await get('/')).toString('utf8');
  const m = /<script type="module" src="(\/v\/[\w-]+\/)app\/main\.js">/.exec(html);
  assert.ok(m, 'the page loads its script from a versioned URL');
  return m![1]!;
}

test('the page: isolated, CSP, revalidated, compressed', async () => {
  const r = await get('/', { 'Accept-Encoding': 'gzip, deflate, br' });
  assert.is(r.status, 200);
  isIsolated(r, 'page');
  assert.match(String(r.headers['content-security-policy']), /script-src 'self' 'wasm-unsafe-eval'/);
  assert.is(r.headers['cache-control'], 'no-cache');
  assert.is(r.headers['content-encoding'], 'br');
  assert.is(r.headers['vary'], 'Accept-Encoding');
  assert.match(decoded(r).toString('utf8'), /<canvas id="pad"/);
  const again = await get('/', { 'Accept-Encoding': 'br', 'If-None-Match': String(r.headers['etag']) });
  assert.is(again.status, 304);
  assert.is(again.body.length, 0);
});

test('versioned scripts: each encoding decompresses to the file on disk; immutable; 304 on its own ETag only', async () => {
  const prefix = await assetPrefix();
  const cases: [string, string][] = [
    [`${prefix}app/main.js`, join(DIST_DIR, 'server', 'page', 'main.js')],
    [`${prefix}lib/index.js`, join(DIST_DIR, 'index.js')],
    [`${prefix}lib/kernels/wasm/builds/relaxedShared.generated.js`, join(DIST_DIR, 'kernels', 'wasm', 'builds', 'relaxedShared.generated.js')],
  ];
  for (const [path, file] of cases) {
    const disk = readFileSync(file);
    const tags = new Set<string>();
    for (const [accept, expected] of [['br;q=1, gzip;q=0.5', 'br'], ['gzip', 'gzip'], ['identity', undefined], ['br;q=0, gzip', 'gzip']] as const) {
      const r = await get(path, { 'Accept-Encoding': accept });
      assert.is(r.status, 200, path);
      assert.is(r.headers['content-encoding'], expected, `${path} with Accept-Encoding: ${accept}`);
      assert.ok(decoded(r).equals(disk), `${path} (${accept}) is the file on disk`);
      assert.is(Number(r.headers['content-length']), r.body.length);
      assert.is(r.headers['cache-control'], 'public, max-age=31536000, immutable');
      assert.is(r.headers['vary'], 'Accept-Encoding');
      assert.match(String(r.headers['content-type']), /^text\/javascript/);
      isIsolated(r, path);
      tags.add(String(r.headers['etag']));
    }
    assert.is(tags.size, 3, 'one ETag per encoding');
    const [brTag, gzTag] = [...tags];
    const notModified = await get(path, { 'Accept-Encoding': 'br', 'If-None-Match': `"nope", W/${brTag}` });
    assert.is(notModified.status, 304);
    assert.is(notModified.headers['etag'], brTag);
    assert.is(notModified.headers['cache-control'], 'public, max-age=31536000, immutable');
    const otherEncoding = await get(path, { 'Accept-Encoding': 'br', 'If-None-Match': gzTag! });
    assert.is(otherEncoding.status, 200, 'a gzip ETag does not validate the brotli body');
  }
});

test('another build\'s versioned URL is a 404 that says to reload; unversioned /lib/ and /app/ are revalidated', async () => {
  // The compute thread's own script: a worker of an isolated page starts only if it carries COEP too.
  const worker = await get(`${await assetPrefix()}lib/kernels/wasm/gemm-worker-browser.js`);
  assert.is(worker.status, 200);
  isIsolated(worker, 'worker script');
  const stale = await get('/v/000000000000/lib/index.js');
  assert.is(stale.status, 404);
  assert.match(stale.body.toString(), /another build of the page; reload/);
  for (const path of ['/lib/index.js', '/app/main.js']) {
    const r = await get(path);
    assert.is(r.status, 200, path);
    assert.is(r.headers['cache-control'], 'no-cache');
    assert.ok(r.headers['etag']);
    isIsolated(r, path);
    assert.is((await get(path, { 'If-None-Match': String(r.headers['etag']) })).status, 304);
  }
  const prefix = await assetPrefix();
  for (const path of [`${prefix}lib/../package.json`, `${prefix}lib/cli.js`, `${prefix}lib/server/server.js`, `${prefix}app/main.d.ts`]) {
    assert.is((await get(path)).status, 404, path);
  }
});

test('model files: ETag and 304; the float weights are sent as they are, model.json compressed', async () => {
  const json = await get('/model/model.json', { 'Accept-Encoding': 'gzip' });
  assert.is(json.headers['content-encoding'], 'gzip');
  assert.is(json.headers['cache-control'], 'no-cache');
  isIsolated(json, 'model.json');
  const manifest = JSON.parse(decoded(json).toString('utf8')) as { weightsManifest: { paths: string[] }[] };
  const shardPath = `/model/${manifest.weightsManifest[0]!.paths[0]!.replace(/^\.\//, '')}`;
  const shard = await get(shardPath, { 'Accept-Encoding': 'br, gzip' });
  assert.is(shard.status, 200);
  assert.is(shard.headers['content-encoding'], undefined);
  assert.is(shard.headers['vary'], undefined);
  const again = await get(shardPath, { 'If-None-Match': String(shard.headers['etag']) });
  assert.is(again.status, 304);
  assert.is(again.body.length, 0);
});

test('HEAD answers the headers of GET without a body', async () => {
  const prefix = await assetPrefix();
  const head = await new Promise<Raw>((resolve, reject) => {
    request(`${server.url}${prefix}lib/index.js`, { method: 'HEAD', headers: { 'Accept-Encoding': 'gzip' } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.alloc(0) }));
    })
      .on('error', reject)
      .end();
  });
  assert.is(head.status, 200);
  assert.is(head.headers['content-encoding'], 'gzip');
  assert.ok(Number(head.headers['content-length']) > 0);
});

test('chooseEncoding: brotli before gzip, q=0 refuses, * accepts, none without the header', async () => {
  const file = await encodeFile(Buffer.from('wasmnn '.repeat(200)), 'text/javascript');
  assert.is(chooseEncoding(undefined, file), null);
  assert.is(chooseEncoding('gzip, br', file), 'br');
  assert.is(chooseEncoding('br;q=0, gzip;q=0.1', file), 'gzip');
  assert.is(chooseEncoding('*', file), 'br');
  assert.is(chooseEncoding('*;q=0', file), null);
  assert.is(chooseEncoding('deflate', file), null);
  const small = await encodeFile(Buffer.from('tiny'), 'text/javascript');
  assert.equal(small.encodings, {}, 'files too small to gain are not compressed');
  assert.is(chooseEncoding('br', small), null);
});

test('metrics and access logs label versioned assets with their routes, nothing else', () => {
  assert.is(routeOf('/v/abc123/lib/kernels/wasm/gemm-worker-browser.js'), '/lib/*');
  assert.is(routeOf('/v/abc123/app/main.js?x=1'), '/app/*');
  assert.is(routeOf('/v/abc123/model/model.json'), 'other');
  assert.is(routeOf('/v/'), 'other');
  assert.is(routeOf('/lib/index.js'), '/lib/*');
});

test.run();
