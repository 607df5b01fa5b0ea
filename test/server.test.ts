/**
 * The demo server over real HTTP on 127.0.0.1: predictions from raw PNG/JPEG bodies and
 * multipart uploads, every kind of bad input answered with its 4xx JSON, and the server
 * still healthy afterwards.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { request } from 'node:http';
import { crc32, deflateSync } from 'node:zlib';
import { startServer, type RunningServer } from '../src/server/server.js';
import { cachedFixtures, type Fixture } from './fixtures/generate.js';

const fixtures = cachedFixtures(1);
const byName = (name: string): Fixture => {
  const f = fixtures.find((x) => x.name === name);
  if (!f) throw new Error(`no fixture ${name}`);
  return f;
};
const pngDigit = byName('digit-7-3-clean-png-grey-alpha');
const smallPng = byName('digit-7-5-chalk-png-rgb'); // 28x28, like a canvas export
const jpegDigit = byName('digit-7-1-chalk-jpeg-75');
const number = byName('number-56-clean-png-rgba');
const blank = byName('none-blank-white-png-grey');

let server: RunningServer;
let base = '';
const serverLog: string[] = [];

test.before(async () => {
  server = await startServer({ port: 0, host: '127.0.0.1', log: (line) => serverLog.push(line) });
  base = server.url;
});

test.after(async () => {
  await server.close();
});

interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/** A copy over a plain ArrayBuffer, as fetch and Blob want. */
const bytes = (b: Uint8Array): Uint8Array<ArrayBuffer> => new Uint8Array(b);

async function post(body: Uint8Array | string | FormData, contentType: string | null, query = ''): Promise<Answer> {
  const headers: Record<string, string> = contentType ? { 'Content-Type': contentType } : {};
  const payload = body instanceof Uint8Array ? bytes(body) : body;
  const res = await fetch(`${base}/api/predict${query}`, { method: 'POST', headers, body: payload });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

function isError(a: Answer, status: number, code: string, message: RegExp): void {
  assert.is(a.status, status, JSON.stringify(a.body));
  assert.match(a.headers.get('content-type') ?? '', /^application\/json/);
  assert.is(a.body['code'], code);
  assert.is(a.body['status'], status);
  assert.match(String(a.body['error']), message);
}

function isDigitAnswer(a: Answer, digit: number): void {
  assert.is(a.status, 200, JSON.stringify(a.body));
  assert.is(a.body['digit'], digit, JSON.stringify(a.body));
  assert.is(a.body['isDigit'], true);
  const probs = a.body['probabilities'] as number[];
  assert.is(probs.length, 10);
  const notDigit = (a.body['notDigitProbability'] as number | undefined) ?? 0; // the open-set model's eleventh class
  assert.ok(Math.abs(probs.reduce((s, p) => s + p, 0) + notDigit - 1) < 1e-3, 'probabilities sum to 1');
  assert.is(a.body['confidence'], Math.max(...probs));
}

/** Parameters of the served model, counted from the weight shapes in its model.json. */
async function manifestParams(): Promise<number> {
  const json = (await (await fetch(`${base}/model/model.json`)).json()) as { weightsManifest: { weights: { shape: number[] }[] }[] };
  const params = json.weightsManifest.flatMap((g) => g.weights).reduce((sum, w) => sum + w.shape.reduce((a, b) => a * b, 1), 0);
  assert.ok(params > 10_000, `${params} parameters`);
  return params;
}

// ---- PNG helpers for hand-made broken files ----

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0);
  return Buffer.concat([head, data, crc]);
}

function greyPng(width: number, height: number, raw: Buffer, interlace = 0): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[12] = interlace;
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', new Uint8Array(0))]);
}

/**
 * Compressing 300 MB blocks the event loop for seconds; done in a test, that outlasted the
 * server's 5 s keep-alive on a loaded machine, and the next fetch reused the connection the
 * server had just closed (ECONNRESET). So it is done before any connection exists.
 */
const bombs = (() => {
  const zeros = Buffer.alloc(300_000_000);
  return { interlaced: greyPng(1000, 1000, zeros, 1), plain: greyPng(1000, 1000, zeros, 0) };
})();

// ---- predictions ----

test('GET /healthz', async () => {
  const res = await fetch(`${base}/healthz`);
  assert.is(res.status, 200);
  const body = (await res.json()) as Record<string, unknown>;
  assert.is(body['status'], 'ok');
  assert.is((body['model'] as { params: number }).params, await manifestParams());
});

test('raw PNG body: digit, confidence, ten probabilities, isDigit', async () => {
  isDigitAnswer(await post(pngDigit.bytes, 'image/png'), 7);
  isDigitAnswer(await post(smallPng.bytes, 'image/png'), 7);
});

test('raw JPEG body (and a body with no Content-Type, sniffed)', async () => {
  const a = await post(jpegDigit.bytes, 'image/jpeg');
  isDigitAnswer(a, 7);
  assert.equal(a.body['image'], { format: 'jpeg', width: 300, height: 200 });
  isDigitAnswer(await post(jpegDigit.bytes, 'application/octet-stream'), 7);
});

test('multipart form upload (busboy), first file counts, multi as a field', async () => {
  const form = new FormData();
  form.append('note', 'hello');
  form.append('image', new Blob([bytes(pngDigit.bytes)], { type: 'image/png' }), 'seven.png');
  isDigitAnswer(await post(form, null), 7);

  const numberForm = new FormData();
  numberForm.append('multi', '1');
  numberForm.append('image', new Blob([bytes(number.bytes)], { type: 'image/png' }), 'number.png');
  const a = await post(numberForm, null);
  assert.is(a.status, 200);
  assert.is(a.body['digits'], '56');
});

test('?multi=1 reads a number: digits, per-digit probabilities and items', async () => {
  const a = await post(number.bytes, 'image/png', '?multi=1');
  assert.is(a.status, 200, JSON.stringify(a.body));
  assert.is(a.body['digits'], number.label);
  assert.is(a.body['isDigit'], true);
  const probs = a.body['probabilities'] as number[][];
  assert.is(probs.length, 2);
  assert.ok(probs.every((row) => row.length === 10));
  assert.is((a.body['items'] as unknown[]).length, 2);
});

test('a blank image is answered 200 with isDigit false and a reason', async () => {
  const a = await post(blank.bytes, 'image/png');
  assert.is(a.status, 200);
  assert.is(a.body['isDigit'], false);
  assert.is(a.body['digit'], null);
  assert.type(a.body['reason'], 'string');
});

test('concurrent requests are batched and each gets its own answer', async () => {
  const answers = await Promise.all(Array.from({ length: 24 }, (_, i) => post(i % 2 ? pngDigit.bytes : blank.bytes, 'image/png')));
  answers.forEach((a, i) => (i % 2 ? isDigitAnswer(a, 7) : assert.is(a.body['isDigit'], false)));
});

// ---- bad input: each with its 4xx, the server keeps serving ----

test('empty body → 400 EMPTY', async () => {
  isError(await post(new Uint8Array(0), 'image/png'), 400, 'EMPTY', /empty/);
});

test('text sent as an image → 415 UNKNOWN_FORMAT; text/plain and JSON → 415 UNSUPPORTED_MEDIA_TYPE', async () => {
  isError(await post('hello, I am not a picture', 'image/png'), 415, 'UNKNOWN_FORMAT', /not a PNG or JPEG/);
  isError(await post('hello', 'text/plain'), 415, 'UNSUPPORTED_MEDIA_TYPE', /text\/plain/);
  isError(await post('{"image":"x"}', 'application/json'), 415, 'UNSUPPORTED_MEDIA_TYPE', /application\/json/);
});

test('truncated PNG and JPEG → 400 TRUNCATED', async () => {
  isError(await post(pngDigit.bytes.subarray(0, pngDigit.bytes.length - 30), 'image/png'), 400, 'TRUNCATED', /truncated PNG/);
  isError(await post(jpegDigit.bytes.subarray(0, jpegDigit.bytes.length / 2), 'image/jpeg'), 400, 'TRUNCATED', /truncated JPEG/);
  isError(await post(pngDigit.bytes.subarray(0, 5), 'image/png'), 400, 'TRUNCATED', /truncated PNG/);
});

test('corrupt PNG and JPEG → 400 CORRUPT', async () => {
  const png = Buffer.from(pngDigit.bytes);
  const idat = png.indexOf('IDAT');
  for (let i = idat + 8; i < idat + 40; i++) png[i] = 0x55; // garbage inside the compressed data (CRC no longer matches)
  isError(await post(png, 'image/png'), 400, 'CORRUPT', /corrupt PNG/);

  const noIhdr = Buffer.from(pngDigit.bytes);
  noIhdr.write('XXXX', 12, 'latin1');
  isError(await post(noIhdr, 'image/png'), 400, 'CORRUPT', /IHDR/);

  const jpeg = Buffer.from(jpegDigit.bytes);
  jpeg[2] = 0xff;
  jpeg[3] = 0x00; // breaks the first marker
  const a = await post(jpeg, 'image/jpeg');
  assert.ok(a.status === 400, JSON.stringify(a.body));
  assert.match(String(a.body['error']), /JPEG/);
});

test('decompression bombs: huge declared size → 413 before decoding; inflating beyond the header → 4xx', async () => {
  // 100000x100000 declared in the header (10 gigapixels), a few bytes of data.
  isError(await post(greyPng(100_000, 100_000, Buffer.alloc(10)), 'image/png'), 413, 'TOO_LARGE', /100000x100000.*limit/);
  // JPEG frame header claiming 65535x65535.
  const jpeg = Buffer.from(jpegDigit.bytes);
  const sof = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
  jpeg.writeUInt16BE(65535, sof + 5);
  jpeg.writeUInt16BE(65535, sof + 7);
  isError(await post(jpeg, 'image/jpeg'), 413, 'TOO_LARGE', /65535x65535/);
  // ~300 KB that inflate to 300 MB inside a 1000x1000 image (compressed before the server started).
  isError(await post(bombs.interlaced, 'image/png'), 413, 'TOO_LARGE', /decompression bomb/);
  isError(await post(bombs.plain, 'image/png'), 400, 'CORRUPT', /corrupt PNG/);
});

test('oversize body → 413 (declared length and chunked)', async () => {
  const big = new Uint8Array(10 * 1024 * 1024 + 1);
  big.set(pngDigit.bytes);
  const declared = await rawRequest({ 'Content-Type': 'image/png', 'Content-Length': String(big.length) }, big);
  assert.is(declared.status, 413);
  assert.is(declared.body['code'], 'BODY_TOO_LARGE');
  assert.match(String(declared.body['error']), /10485760-byte limit/);

  const chunked = await rawRequest({ 'Content-Type': 'image/png', 'Transfer-Encoding': 'chunked' }, big);
  assert.is(chunked.status, 413);
  assert.is(chunked.body['code'], 'BODY_TOO_LARGE');

  const form = new FormData();
  form.append('image', new Blob([bytes(big)], { type: 'image/png' }), 'big.png');
  const multipart = await post(form, null);
  assert.is(multipart.status, 413);
  assert.is(multipart.body['code'], 'BODY_TOO_LARGE');
});

/** A request through node:http that keeps writing after an early answer (as a real client might). */
function rawRequest(headers: Record<string, string>, body: Uint8Array): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}/api/predict`, { method: 'POST', headers }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }));
    });
    req.on('error', reject);
    req.end(Buffer.from(body));
  });
}

test('malformed multipart → 400; a form without a file → 400 NO_FILE', async () => {
  isError(await post('--xyz\r\nContent-Disposition: form-data; name="image"; filename="a.png"\r\n\r\nabc', 'multipart/form-data; boundary=xyz'), 400, 'BAD_MULTIPART', /multipart/);
  isError(await post('whatever', 'multipart/form-data'), 400, 'BAD_MULTIPART', /boundary/i);
  const form = new FormData();
  form.append('comment', 'no picture here');
  isError(await post(form, null), 400, 'NO_FILE', /no file/);
});

test('a form whose file comes after too many parts says so (413), not "no file"', async () => {
  const manyFields = new FormData();
  for (let i = 0; i < 25; i++) manyFields.append(`f${i}`, 'x');
  manyFields.append('image', new Blob([bytes(pngDigit.bytes)], { type: 'image/png' }), 'seven.png');
  isDigitAnswer(await post(manyFields, null), 7); // fields past their limit are dropped, the file counts
  const manyParts = new FormData();
  for (let i = 0; i < 45; i++) manyParts.append(`f${i}`, 'x');
  manyParts.append('image', new Blob([bytes(pngDigit.bytes)], { type: 'image/png' }), 'seven.png');
  isError(await post(manyParts, null), 413, 'TOO_MANY_PARTS', /more than 40 parts/);
  // The server still answers afterwards.
  isDigitAnswer(await post(pngDigit.bytes, 'image/png'), 7);
});

test('bad multi value → 400', async () => {
  isError(await post(pngDigit.bytes, 'image/png', '?multi=yes'), 400, 'BAD_PARAMETER', /multi/);
});

test('wrong method → 405 with Allow; unknown path → 404', async () => {
  const get = await fetch(`${base}/api/predict`);
  assert.is(get.status, 405);
  assert.is(get.headers.get('allow'), 'POST');
  assert.match(((await get.json()) as { error: string }).error, /GET is not allowed on \/api\/predict/);
  const del = await fetch(`${base}/healthz`, { method: 'DELETE' });
  assert.is(del.status, 405);
  await del.body?.cancel();
  const missing = await fetch(`${base}/nope`);
  assert.is(missing.status, 404);
  assert.is(((await missing.json()) as { code: string }).code, 'NOT_FOUND');
});

test('static files: page, page script, library, model; no path traversal; no Node-only code', async () => {
  const page = await fetch(`${base}/`);
  assert.is(page.status, 200);
  assert.match(page.headers.get('content-type') ?? '', /text\/html/);
  assert.match(await page.text(), /<canvas id="pad"/);
  const model = await fetch(`${base}/model/model.json`);
  const json = (await model.json()) as { weightsManifest: { paths: string[] }[] };
  const shard = await fetch(`${base}/model/${json.weightsManifest[0]!.paths[0]!.replace(/^\.\//, '')}`);
  assert.is((await shard.arrayBuffer()).byteLength, (await manifestParams()) * 4);
  for (const path of ['/lib/../package.json', '/lib/%2e%2e/package.json', '/lib/server/server.js', '/lib/cli.js', '/app/../cli.js', '/model/../model.json', '/lib/index.d.ts']) {
    const res = await fetch(`${base}${path}`);
    assert.ok(res.status === 404 || res.status === 400, `${path}: ${res.status}`);
    await res.body?.cancel();
  }
});

test('after all that the server is still healthy and still right', async () => {
  const res = await fetch(`${base}/healthz`);
  assert.is(res.status, 200);
  isDigitAnswer(await post(pngDigit.bytes, 'image/png'), 7);
  assert.equal(serverLog, [], 'no server errors logged');
});

test.run();
