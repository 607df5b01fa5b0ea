/**
 * Both cores in the browser: a cross-origin-isolated page (COOP same-origin + COEP
 * require-corp) gets the WASM backend's second thread with no configuration — a module Worker
 * started from a URL relative to the library — and the worker really computes (its chunk count
 * moves) while training gives what one thread gives. A page that is not isolated silently stays
 * on one thread. How much faster two threads train is measured in bench/browser.ts, not here.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chromiumAvailable as available, openBlankPage } from './helpers/chromium.js';

const ISOLATED = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };

interface Run {
  /** The WASM builds the page fetched (each build is its own module). */
  builds: string[];
  isolated: boolean;
  auto: string;
  workerChunks: number;
  losses: number[][];
  errors: string[];
}

async function trainIn(pageHeaders: Record<string, string>): Promise<Run> {
  const browser = await openBlankPage({ pageHeaders });
  const errors: string[] = [];
  const builds: string[] = [];
  browser.page.on('request', (req) => {
    const build = /\/builds\/(\w+)\.generated\.js$/.exec(req.url())?.[1];
    if (build) builds.push(build);
  });
  browser.page.on('pageerror', (err) => errors.push(err.message));
  browser.page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
  try {
    const result = await browser.page.evaluate(async () => {
      const w = await import(`${location.origin}/lib/index.js`);
      const auto = await w.createBackend('auto');
      const description = w.describeBackend(auto) as string;
      const losses: number[][] = [];
      let workerChunks = 0;
      // The same seeded training on the default backend and on one thread. (No named helper
      // functions in here: tsx would wrap them in a helper the page lacks.)
      for (const backend of [auto, await w.createBackend('wasm', { threads: 1 })]) {
        const model = new w.Sequential(
          [
            w.layers.conv2d({ filters: 8, kernelSize: 5, activation: 'relu', inputShape: [28, 28, 1] }),
            w.layers.maxPooling2d({ poolSize: 2 }),
            w.layers.conv2d({ filters: 16, kernelSize: 5, activation: 'relu' }),
            w.layers.flatten(),
            w.layers.dense({ units: 10, activation: 'softmax' }),
          ],
          { seed: 5, backend },
        );
        model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
        const n = 256;
        const x = new Float32Array(n * 784).map((_, i) => ((i * 2654435761) % 1000) / 1000);
        const y = new Float32Array(n).map((_, i) => i % 10);
        const history = await model.fit(new w.Tensor(x, [n, 28, 28, 1]), new w.Tensor(y, [n, 1]), { epochs: 2, batchSize: 64, shuffle: false, verbose: 0 });
        losses.push(history.history.loss as number[]);
        workerChunks = Math.max(workerChunks, (backend as { workerChunks?: number }).workerChunks ?? 0);
        model.dispose();
      }
      return { isolated: crossOriginIsolated, auto: description, workerChunks, losses };
    });
    return { ...result, errors, builds: builds.sort() };
  } finally {
    await browser.close();
  }
}

test('a cross-origin-isolated page trains on two threads, as one thread does', async () => {
  if (!available) return console.log('  SKIPPED browser threads test: chromium or dist/ is missing');
  const r = await trainIn(ISOLATED);
  assert.equal(r.errors, []);
  assert.is(r.isolated, true);
  assert.match(r.auto, /^wasm \(.*, 2 threads\)$/);
  assert.ok(r.workerChunks > 0, 'the worker computed chunks');
  assert.equal(r.builds, ['relaxed', 'relaxedShared'], 'the shared build for 2 threads, the private one for the 1-thread run, nothing else');
  const [two, one] = r.losses as [number[], number[]];
  two.forEach((loss, i) => assert.ok(Math.abs(loss - one[i]!) <= 1e-5 * Math.abs(one[i]!), `epoch ${i}: ${loss} (2 threads) vs ${one[i]} (1 thread)`));
});

test('a page that is not isolated stays on one thread, silently', async () => {
  if (!available) return;
  const r = await trainIn({});
  assert.equal(r.errors, []);
  assert.is(r.isolated, false);
  assert.match(r.auto, /^wasm \(.*, 1 thread\)$/);
  assert.is(r.workerChunks, 0);
  assert.equal(r.builds, ['relaxed'], 'only the build it runs');
});

test.run();
