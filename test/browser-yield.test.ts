/**
 * fit on a browser page's main thread keeps the page painting: with yieldEvery 'auto' (the
 * default) the longest gap between requestAnimationFrame callbacks while a small CNN trains stays
 * ≤ 50 ms, measured in the page; with 'never' the page does not paint until fit ends (a gap of
 * most of the fit), so the measurement can fail. Real Chromium, the built core from dist/.
 * How fast each trains, and the same gaps for a WorkerModel, are in bench/browser-worker.ts.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chromiumAvailable as available, openBlankPage } from './helpers/chromium.js';
import { installFrameMeter, type FrameStats, type MeasureFrames } from './helpers/frame-meter.js';

interface Frames extends FrameStats {
  /** The slowest single training batch (ms): a frame cannot be shorter than one batch. */
  slowestBatch: number;
}

async function trainWhileMeasuring(yieldEvery: string | undefined): Promise<Frames> {
  const browser = await openBlankPage();
  try {
    await installFrameMeter(browser.page);
    // tsx wraps the named functions of the page code below in a __name helper the page lacks.
    await browser.page.evaluate('globalThis.__name = (f) => f');
    return await browser.page.evaluate(async (yieldEvery) => {
      const w = await import(`${location.origin}/lib/index.js`);
      const measureFrames = (globalThis as unknown as { measureFrames: MeasureFrames }).measureFrames;
      const model = new w.Sequential(
        [
          w.layers.conv2d({ filters: 8, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }),
          w.layers.maxPooling2d({ poolSize: 2 }),
          w.layers.flatten(),
          w.layers.dense({ units: 10, activation: 'softmax' }),
        ],
        { seed: 1 },
      );
      model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
      const n = 2048;
      const x = new w.Tensor(new Float32Array(n * 784).map((_, i) => ((i * 2654435761) % 1000) / 1000), [n, 28, 28, 1]);
      const y = new w.Tensor(new Float32Array(n).map((_, i) => i % 10), [n, 1]);
      // Build and warm up first, so the measured fit is training only.
      await model.fit(x.slice(0, 32), y.slice(0, 32), { batchSize: 32, verbose: 0 });
      let slowestBatch = 0;
      let batchStart = 0;
      const stats = await measureFrames(() => {
        batchStart = performance.now();
        return model.fit(x, y, {
          batchSize: 16,
          epochs: 5,
          verbose: 0,
          ...(yieldEvery === undefined ? {} : { yieldEvery }),
          callbacks: {
            onBatchEnd: () => {
              const t = performance.now();
              slowestBatch = Math.max(slowestBatch, t - batchStart);
              batchStart = t;
            },
          },
        });
      });
      model.dispose();
      return { ...stats, slowestBatch };
    }, yieldEvery);
  } finally {
    await browser.close();
  }
}

test("main-thread fit with yieldEvery 'auto' keeps every frame ≤ 50 ms; 'never' freezes the page", async () => {
  if (!available) return console.log('  SKIPPED browser yield test: chromium or dist/ is missing');
  const show = (f: Frames): string => `longest frame gap ${f.longestGap.toFixed(1)} ms, ${f.frames} frames in ${f.ms.toFixed(0)} ms, slowest batch ${f.slowestBatch.toFixed(1)} ms`;
  // 'auto' promises frames ≤ 50 ms while one batch step takes under ~20 ms (a step here takes
  // ~1 ms). On a loaded machine the OS can stall a step far longer; a run where that happened did
  // not test the promise, so it is measured again, at most 5 runs. A long frame while every step
  // was fast fails at once.
  let auto = await trainWhileMeasuring(undefined);
  for (let run = 2; run <= 5 && auto.longestGap > 50 && auto.slowestBatch > 20; run++) {
    console.log(`  auto, a stalled run (measured again): ${show(auto)}`);
    auto = await trainWhileMeasuring(undefined);
  }
  const never = await trainWhileMeasuring('never');
  console.log(`  auto:  ${show(auto)}\n  never: ${show(never)}`);
  assert.ok(auto.longestGap <= 50, `auto: ${show(auto)}`);
  assert.ok(auto.frames >= auto.ms / 50, `auto painted too few frames: ${show(auto)}`);
  // Without turns the page paints nothing until fit returns: one gap of (almost) the whole fit.
  assert.ok(never.longestGap >= 0.9 * never.ms && never.longestGap > 150, `never: ${show(never)}`);
});

test.run();
