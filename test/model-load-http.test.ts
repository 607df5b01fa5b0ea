/**
 * Loading a model over http(s) (the core's fetch loader, what a browser uses): model.json then
 * the shards it names, relative to it. Served from a real local HTTP server.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadModel, loadPretrained, pretrainedModelDir, tensor } from '../src/index.node.js';
import { loadPretrained as loadPretrainedByUrl, pretrainedModelUrl } from '../src/pretrained-url.js';

const dir = pretrainedModelDir();
let server: Server;
let base = '';

test.before(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    if (path === '/html/model.json') {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><html><body>app</body></html>');
    } else if (path === '/foreign/model.json') {
      void readFile(join(dir, 'model.json'), 'utf8').then((text) => {
        const json = JSON.parse(text) as { weightsManifest: { paths: string[] }[] };
        json.weightsManifest[0]!.paths = ['https://elsewhere.example/weights.bin'];
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(json));
      });
    } else if (path.startsWith('/model/') && /^[\w.-]+$/.test(path.slice(7))) {
      readFile(join(dir, path.slice(7))).then(
        (bytes) => res.writeHead(200).end(bytes),
        () => res.writeHead(404, 'Not Found').end('not found'),
      );
    } else {
      res.writeHead(404, 'Not Found').end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

test.after(() => new Promise<void>((resolve) => server.close(() => resolve())));

const input = tensor(Array.from({ length: 2 * 28 * 28 }, (_, i) => (i % 17) / 17), [2, 28, 28, 1]);

test('a model.json URL loads with its shards and predicts as the directory does', async () => {
  const fromDisk = await loadModel(dir);
  const fromHttp = await loadModel(`${base}/model/model.json`);
  const fromUrlObject = await loadModel(new URL(`${base}/model/model.json`));
  const expected = (await fromDisk.predict(input)).data;
  assert.equal((await fromHttp.predict(input)).data, expected);
  assert.equal((await fromUrlObject.predict(input)).data, expected);
  for (const m of [fromDisk, fromHttp, fromUrlObject]) m.dispose();
});

test('loadPretrained: Node reads the package files; the browser entry fetches the URL it is given', async () => {
  const node = await loadPretrained();
  const browser = await loadPretrainedByUrl({ url: `${base}/model/model.json` });
  assert.equal((await browser.predict(input)).data, (await node.predict(input)).data);
  node.dispose();
  browser.dispose();
  // The browser entry's default URL is the package's own pretrained/compact/model.json.
  assert.is(fileURLToPath(pretrainedModelUrl()), join(dir, 'model.json'));
});

test('a missing model, an HTML page and a shard on another origin are named errors', async () => {
  await loadModel(`${base}/nothing/model.json`).then(
    () => assert.unreachable(),
    (err: Error) => assert.match(err.message, /cannot fetch model\.json: http:\/\/127\.0\.0\.1:\d+\/nothing\/model\.json answered 404 Not Found/),
  );
  await loadModel(`${base}/html/model.json`).then(
    () => assert.unreachable(),
    (err: Error) => assert.match(err.message, /is not a model\.json: the server answered with an HTML page \("<!doctype html>/),
  );
  await loadModel(`${base}/foreign/model.json`).then(
    () => assert.unreachable(),
    (err: Error) => assert.match(err.message, /weights file https:\/\/elsewhere\.example\/weights\.bin .* is on another origin/),
  );
});

test.run();
