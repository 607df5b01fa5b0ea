// Browser training throughput: the compact model trained in headless Chromium (a cross-origin-
// isolated page, so the WASM backend may use 2 threads) with 1 and 2 threads, next to Node's
// 2 threads on the same model, batch and data, taking turns round by round in one run.
//
//   npx tsx bench/browser.ts [--rounds 4] [--steps 40]
import './common.js'; // sets the relaxed-SIMD flag for Node's rows, as the other benches
import { parseArgs } from 'node:util';
import '../src/index.node.js';
import { buildArchitecture } from '../src/architectures.js';
import { createBackend, describeBackend } from '../src/kernels/index.js';
import { Tensor } from '../src/tensor.js';
import { openBlankPage } from '../test/helpers/chromium.js';
import { fmt, median, table } from './common.js';

const { values: args } = parseArgs({ options: { rounds: { type: 'string', default: '4' }, steps: { type: 'string', default: '40' } } });
const rounds = Number(args.rounds);
const steps = Number(args.steps);
const BATCH = 64;

// Deterministic stand-in images: throughput does not depend on the pixels.
const n = steps * BATCH;
const x = new Float32Array(n * 784).map((_, i) => ((i * 2654435761) % 1000) / 1000);
const y = new Float32Array(n * 10).map((_, i) => (i % 10 === Math.floor(i / 10) % 10 ? 1 : 0));

const browser = await openBlankPage({ pageHeaders: { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' } });
const setup = await browser.page.evaluate(async ({ steps, batch }) => {
  const w = await import(`${location.origin}/lib/index.js`);
  const g = globalThis as unknown as Record<string, unknown>;
  const models: unknown[] = [];
  const names: string[] = [];
  for (const threads of [1, 2]) {
    const backend = await w.createBackend('wasm', { threads });
    names.push(w.describeBackend(backend));
    const model = new w.Sequential(
      [
        w.layers.conv2d({ filters: 8, kernelSize: 5, activation: 'relu', inputShape: [28, 28, 1] }),
        w.layers.maxPooling2d({ poolSize: 2 }),
        w.layers.conv2d({ filters: 16, kernelSize: 5, activation: 'relu' }),
        w.layers.maxPooling2d({ poolSize: 2 }),
        w.layers.flatten(),
        w.layers.dense({ units: 256, activation: 'relu' }),
        w.layers.dense({ units: 10, activation: 'softmax' }),
      ],
      { seed: 1, backend },
    );
    model.compile({ optimizer: w.optimizers.adam({ learningRate: 3e-3 }), loss: 'categoricalCrossentropy' });
    models.push(model);
  }
  const n = steps * batch;
  g['benchX'] = new w.Tensor(new Float32Array(n * 784).map((_, i) => ((i * 2654435761) % 1000) / 1000), [n, 28, 28, 1]);
  g['benchY'] = new w.Tensor(new Float32Array(n * 10).map((_, i) => (i % 10 === Math.floor(i / 10) % 10 ? 1 : 0)), [n, 10]);
  g['benchModels'] = models;
  return { names, userAgent: navigator.userAgent };
}, { steps, batch: BATCH });

/** One pass over the bench data in the page; returns seconds. */
function browserRun(index: number): Promise<number> {
  return browser.page.evaluate(async ({ index, batch }) => {
    const g = globalThis as unknown as Record<string, unknown>;
    const model = (g['benchModels'] as { fit(x: unknown, y: unknown, a: object): Promise<unknown> }[])[index]!;
    const t0 = performance.now();
    await model.fit(g['benchX'], g['benchY'], { batchSize: batch, epochs: 1, shuffle: false, verbose: 0 });
    return (performance.now() - t0) / 1000;
  }, { index, batch: BATCH });
}

const nodeBackend = await createBackend('wasm', { threads: 2 });
const nodeModel = buildArchitecture('compact', { seed: 1, backend: nodeBackend });
const { adam } = await import('../src/optimizers.js');
nodeModel.compile({ optimizer: adam({ learningRate: 3e-3 }), loss: 'categoricalCrossentropy' });
const nodeX = new Tensor(x, [n, 28, 28, 1]);
const nodeY = new Tensor(y, [n, 10]);
async function nodeRun(): Promise<number> {
  const t0 = performance.now();
  await nodeModel.fit(nodeX, nodeY, { batchSize: BATCH, epochs: 1, shuffle: false, verbose: 0 });
  return (performance.now() - t0) / 1000;
}

const rows: { name: string; run: () => Promise<number>; times: number[] }[] = [
  { name: `Chromium: ${setup.names[0]}`, run: () => browserRun(0), times: [] },
  { name: `Chromium: ${setup.names[1]}`, run: () => browserRun(1), times: [] },
  { name: `Node ${process.version}: ${describeBackend(nodeBackend)}`, run: nodeRun, times: [] },
];
for (const r of rows) await r.run(); // warm-up pass each
for (let round = 0; round < rounds; round++) for (const r of rows) r.times.push(await r.run());
await browser.close();
nodeModel.dispose();

const rate = (t: number): number => (steps * BATCH) / t;
const node2 = rate(median(rows[2]!.times));
console.log(`# compact CNN training, batch ${BATCH}, ${steps} steps per pass, ${rounds} alternating rounds (median pass)\n${setup.userAgent}\n`);
console.log(table(['where', 'samples/s', '÷ Node 2 threads'], rows.map((r) => [r.name, fmt(rate(median(r.times))), fmt(rate(median(r.times)) / node2, 2)])));
console.log(`\nbrowser 2 threads ÷ 1 thread: ${fmt(rate(median(rows[1]!.times)) / rate(median(rows[0]!.times)), 2)}x`);
process.exit(0);
