// No request blocks the server: while PNGs that take pngjs seconds to decode (31 KB files of
// 4000x4000 16-bit pixels) are in flight, /healthz and small predictions still answer at once,
// because large images decode on a thread of their own.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { request } from 'node:http';
import { startServer, type RunningServer } from '../src/server/server.js';
import { predictImage } from '../src/recognizer/prediction.js';
import { DecodePool } from '../src/server/decode-pool.js';
import { drawDigits, encode, paint, randomLook } from '../src/synthetic/handwriting.js';
import { encodePng } from '../src/synthetic/png-encode.js';
import { Rng } from '../src/synthetic/rng.js';
import { cachedFixtures } from './fixtures/generate.js';

let server: RunningServer;

test.before(async () => {
  server = await startServer({ port: 0, host: '127.0.0.1', log: () => undefined });
});

test.after(async () => {
  await server.close();
});

function call(method: string, path: string, body?: Uint8Array): Promise<{ status: number; ms: number; body: string }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}${path}`, { method, headers: body ? { 'content-type': 'image/png', 'content-length': body.length } : {} }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - t0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

test('/healthz and small images answer quickly while slow decodes are in flight', async () => {
  const heavy = encodePng({ width: 4000, height: 4000, colorType: 0, bitDepth: 16, samples: new Uint16Array(16_000_000) });
  const small = cachedFixtures().find((f) => f.name.includes('-chalk-png-rgb') && f.kind === 'digit')!.bytes;
  const t0 = performance.now();
  const slow = [0, 1, 2].map(() => call('POST', '/api/predict', heavy));
  await new Promise((r) => setTimeout(r, 50));
  const health: number[] = [];
  const predictions: number[] = [];
  while (performance.now() - t0 < 1_500) {
    const h = await call('GET', '/healthz');
    assert.is(h.status, 200);
    health.push(h.ms);
    const p = await call('POST', '/api/predict', small);
    assert.is(p.status, 200, p.body);
    predictions.push(p.ms);
  }
  const answers = await Promise.all(slow);
  const heavyMs = Math.max(...answers.map((a) => a.ms));
  for (const a of answers) assert.is(a.status, 200, a.body);
  const worst = Math.max(...health);
  assert.ok(health.length >= 5, `only ${health.length} health checks in 1.5 s`);
  assert.ok(heavyMs > 3 * worst, `the heavy decodes (${heavyMs.toFixed(0)} ms) should dwarf a health check (${worst.toFixed(0)} ms)`);
  assert.ok(worst < 250, `/healthz took up to ${worst.toFixed(0)} ms while large images decoded (${health.map((m) => m.toFixed(0)).join(', ')})`);
  assert.ok(Math.max(...predictions) < 500, `small predictions took up to ${Math.max(...predictions).toFixed(0)} ms`);
});

test('a large image decoded on the thread (its working grey computed there) reads exactly as inline', async () => {
  const rng = new Rng(3);
  const pool = new DecodePool();
  try {
    for (const [text, multi] of [['4', false], ['2024', true]] as const) {
      const d = drawDigits(rng, text, { width: 1200, height: 900 });
      const bytes = encode(paint(rng, d, randomLook(rng, 'pen')), 1200, 900, 'jpeg-75');
      // A classifier that reveals any difference in its inputs: the probabilities hash them.
      const seen: Float32Array[] = [];
      const classify = async (inputs: Float32Array, n: number): Promise<Float32Array> => {
        seen.push(inputs.slice(0, n * 784));
        const out = new Float32Array(n * 10);
        for (let i = 0; i < n; i++) {
          let sum = 0;
          for (let k = 0; k < 784; k++) sum += inputs[i * 784 + k]! * ((k % 7) + 1);
          out[i * 10 + (Math.floor(sum) % 10)] = 1;
        }
        return out;
      };
      const inline = await predictImage(bytes, classify, { multi });
      const threaded = await predictImage(bytes, classify, { multi, decode: (b) => pool.decode(b, 16_000_000) });
      assert.equal(threaded, inline, `${text}: results differ`);
      assert.equal(seen[1], seen[0], `${text}: the model's inputs differ`);
    }
  } finally {
    await pool.close();
  }
});

test.run();
