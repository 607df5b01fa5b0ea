// Training off the UI thread, priced: in headless Chromium (one WASM thread, a page that is not
// cross-origin isolated) the same CNN trains on the page's main thread with yieldEvery 'never'
// (the page frozen), with 'auto' (the default: a turn every 10 ms) and in a WorkerModel, taking
// turns round by round in one run. Reports samples/s, each ÷ 'never', and the longest gap
// between requestAnimationFrame callbacks during the pass (the page's longest frame).
//
//   npx tsx bench/browser-worker.ts [--rounds 3] [--steps 100]
import { parseArgs } from 'node:util';
import { openBlankPage } from '../test/helpers/chromium.js';
import { installFrameMeter, type MeasureFrames } from '../test/helpers/frame-meter.js';
import { fmt, median, table } from './common.js';

const { values: args } = parseArgs({ options: { rounds: { type: 'string', default: '3' }, steps: { type: 'string', default: '100' } } });
const rounds = Number(args.rounds);
const steps = Number(args.steps);
const BATCH = 32;

const browser = await openBlankPage();
await installFrameMeter(browser.page);
// tsx wraps the named functions of the page code below in a __name helper the page lacks.
await browser.page.evaluate('globalThis.__name = (f) => f');
const userAgent = await browser.page.evaluate(async ({ steps, batch }) => {
  const w = await import(`${location.origin}/lib/index.js`);
  const { WorkerModel } = await import(`${location.origin}/lib/worker/index.js`);
  const g = globalThis as unknown as Record<string, unknown>;
  const make = () =>
    new w.Sequential(
      [
        w.layers.conv2d({ filters: 8, kernelSize: 5, activation: 'relu', inputShape: [28, 28, 1] }),
        w.layers.maxPooling2d({ poolSize: 2 }),
        w.layers.conv2d({ filters: 16, kernelSize: 5, activation: 'relu' }),
        w.layers.maxPooling2d({ poolSize: 2 }),
        w.layers.flatten(),
        w.layers.dense({ units: 10, activation: 'softmax' }),
      ],
      { seed: 1, threads: 1 },
    );
  const compileArgs = { optimizer: 'adam', loss: 'categoricalCrossentropy' };
  const page = make();
  page.compile(compileArgs);
  const worker = await WorkerModel.create(make(), { seed: 1, threads: 1 });
  await worker.compile(compileArgs);
  const n = steps * batch;
  g['benchX'] = new w.Tensor(new Float32Array(n * 784).map((_, i) => ((i * 2654435761) % 1000) / 1000), [n, 28, 28, 1]);
  g['benchY'] = new w.Tensor(new Float32Array(n * 10).map((_, i) => (i % 10 === Math.floor(i / 10) % 10 ? 1 : 0)), [n, 10]);
  g['benchPage'] = page;
  g['benchWorker'] = worker;
  return navigator.userAgent;
}, { steps, batch: BATCH });

/** One pass over the bench data; returns its seconds and the longest frame gap (ms) during it. */
async function pass(where: 'never' | 'auto' | 'worker'): Promise<{ seconds: number; gap: number }> {
  const stats = await browser.page.evaluate(({ where, batch }) => {
    const g = globalThis as unknown as Record<string, { fit(x: unknown, y: unknown, a: object): Promise<unknown> }> & { measureFrames: MeasureFrames };
    const args = { batchSize: batch, epochs: 1, shuffle: false, verbose: 0 };
    return g.measureFrames(() => (where === 'worker' ? g['benchWorker']!.fit(g['benchX'], g['benchY'], args) : g['benchPage']!.fit(g['benchX'], g['benchY'], { ...args, yieldEvery: where })));
  }, { where, batch: BATCH });
  return { seconds: stats.ms / 1000, gap: stats.longestGap };
}

const rows = (['never', 'auto', 'worker'] as const).map((where) => ({ where, seconds: [] as number[], gaps: [] as number[] }));
for (const r of rows) await pass(r.where); // warm-up pass each
for (let round = 0; round < rounds; round++) {
  for (const r of rows) {
    const { seconds, gap } = await pass(r.where);
    r.seconds.push(seconds);
    r.gaps.push(gap);
  }
}
await browser.close();

const rate = (seconds: number[]): number => (steps * BATCH) / median(seconds);
const never = rate(rows[0]!.seconds);
const label = { never: "main thread, yieldEvery 'never'", auto: "main thread, yieldEvery 'auto'", worker: 'WorkerModel (worker)' };
console.log(`# CNN training in Chromium, 1 WASM thread, batch ${BATCH}, ${steps} steps per pass, ${rounds} alternating rounds (median pass)\n${userAgent}\n`);
console.log(table(['where', 'samples/s', "÷ 'never'", 'longest frame (ms, worst pass)'], rows.map((r) => [label[r.where], fmt(rate(r.seconds)), fmt(rate(r.seconds) / never, 2), fmt(Math.max(...r.gaps))])));
process.exit(0);
