/** POST /api/predict/batch over real HTTP: per-file results in order, a bad file answered in its row, 4xx JSON for bad requests. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BATCH_PATH, MAX_BATCH_FILES } from '../src/server/batch.js';
import { startServer, type RunningServer } from '../src/server/server.js';
import { cachedFixtures, type Fixture } from './fixtures/generate.js';

const fixtures = cachedFixtures(1);
const byName = (name: string): Fixture => fixtures.find((x) => x.name === name)!;
const seven = byName('digit-7-3-clean-png-grey-alpha');
const sevenJpeg = byName('digit-7-1-chalk-jpeg-75');
const number = byName('number-56-clean-png-rgba');
const blank = byName('none-blank-white-png-grey');

let server: RunningServer;

test.before(async () => {
  server = await startServer({ port: 0, host: '127.0.0.1', log: () => undefined, limits: { maxBodyBytes: 256 * 1024 } });
});

test.after(async () => {
  await server.close();
});

function form(files: [string, Uint8Array][]): FormData {
  const f = new FormData();
  for (const [name, bytes] of files) f.append('images', new Blob([new Uint8Array(bytes)]), name);
  return f;
}

async function post(body: FormData | string, query = '', headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${server.url}${BATCH_PATH}${query}`, { method: 'POST', body, headers });
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

test('good, non-digit and broken files: 200, one result per file in order, the broken one with its error', async () => {
  const r = await post(form([['seven.png', seven.bytes], ['seven.jpg', sevenJpeg.bytes], ['blank.png', blank.bytes], ['cut.png', seven.bytes.subarray(0, 100)], ['notes.txt', new TextEncoder().encode('hello')]]));
  assert.is(r.status, 200, JSON.stringify(r.body));
  assert.is(r.body['count'], 5);
  assert.is(r.body['failed'], 2);
  const results = r.body['results'] as Record<string, unknown>[];
  assert.equal(results.map((x) => x['file']), ['seven.png', 'seven.jpg', 'blank.png', 'cut.png', 'notes.txt']);
  assert.is(results[0]!['digit'], 7);
  assert.is(results[1]!['digit'], 7);
  assert.is(results[2]!['isDigit'], false);
  assert.is(results[2]!['reasonCode'], 'blank');
  assert.is(results[3]!['code'], 'TRUNCATED');
  assert.is(results[3]!['status'], 400);
  assert.is(results[4]!['code'], 'UNKNOWN_FORMAT');
  assert.match(String(results[4]!['error']), /not a PNG or JPEG/);
});

test('?multi=1 reads numbers', async () => {
  const r = await post(form([['n.png', number.bytes]]), '?multi=1');
  assert.is(r.status, 200);
  assert.is((r.body['results'] as Record<string, unknown>[])[0]!['digits'], '56');
});

test('bad requests: 4xx JSON naming the problem', async () => {
  const notMultipart = await post('hello', '', { 'Content-Type': 'text/plain' });
  assert.is(notMultipart.status, 415);
  assert.is(notMultipart.body['code'], 'UNSUPPORTED_MEDIA_TYPE');
  const empty = new FormData();
  empty.append('note', 'no files here');
  const none = await post(empty);
  assert.is(none.status, 400);
  assert.is(none.body['code'], 'NO_FILE');
  const many = await post(form(Array.from({ length: MAX_BATCH_FILES + 1 }, (_, i): [string, Uint8Array] => [`${i}.png`, blank.bytes.subarray(0, 10)])));
  assert.is(many.status, 413);
  assert.is(many.body['code'], 'TOO_MANY_FILES');
  assert.match(String(many.body['error']), new RegExp(`at most ${MAX_BATCH_FILES}`));
  const big = await post(form(Array.from({ length: 6 }, (_, i): [string, Uint8Array] => [`${i}.jpg`, new Uint8Array(60 * 1024)])));
  assert.is(big.status, 413);
  assert.is(big.body['code'], 'BODY_TOO_LARGE');
  const bad = await post(form([['a.png', seven.bytes]]), '?multi=yes');
  assert.is(bad.status, 400);
  assert.is(bad.body['code'], 'BAD_PARAMETER');
  const get = await fetch(`${server.url}${BATCH_PATH}`);
  assert.is(get.status, 405);
  assert.is(get.headers.get('allow'), 'POST');
});

test('the server is still healthy', async () => {
  assert.is((await fetch(`${server.url}/healthz`)).status, 200);
});

test.run();
