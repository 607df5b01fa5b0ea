// A small MobileNet-like network (a strided stem conv, then two depthwise 3x3 + pointwise 1x1 +
// ReLU blocks) on MNIST: training and batch-predict samples/s of wasmnn (WASM, 1 and 2 threads,
// alternating round by round) beside TF.js 4.22 on the same topology (CPU backend; WASM backend
// for predict only: tfjs-backend-wasm 4.22 has no depthwise gradient kernels), and beside the same network with full 3x3 convolutions in
// place of the depthwise ones (what the depthwise layers save).
//
//   npx tsx bench/depthwise.ts [--seconds 4] [--batch 32] [--predict-images 1024]
import './common.js'; // first: sets the relaxed-SIMD V8 flag before any WebAssembly compile
import { parseArgs } from 'node:util';
import '../src/index.node.js'; // registers the Node worker spawner used for 2 threads
import { createBackend } from '../src/kernels/index.js';
import { layers } from '../src/layers/index.js';
import { adam } from '../src/optimizers.js';
import { Sequential } from '../src/model/sequential.js';
import { Tensor } from '../src/tensor.js';
import { errorMessage, fmt, mnist, now, rows, table } from './common.js';
import { tf, useTfBackend, type TfBackendName } from './tfjs-models.js';

const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '4' }, batch: { type: 'string', default: '32' }, 'predict-images': { type: 'string', default: '1024' } },
});
const SECONDS = Number(values.seconds);
const BATCH = Number(values.batch);
const PREDICT_IMAGES = Number(values['predict-images']);
const ROUNDS = 4;

type Variant = 'depthwise' | 'full conv';

/** The network; 'full conv' replaces each depthwise 3x3 by a Conv2D 3x3 over all channels. */
function network(variant: Variant, backend?: Awaited<ReturnType<typeof createBackend>>): Sequential {
  const spatial = (channels: number, strides: number) =>
    variant === 'depthwise'
      ? layers.depthwiseConv2d({ kernelSize: 3, strides, padding: 'same', activation: 'relu' })
      : layers.conv2d({ filters: channels, kernelSize: 3, strides, padding: 'same', activation: 'relu' });
  return new Sequential(
    [
      layers.conv2d({ filters: 16, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', inputShape: [28, 28, 1] }),
      spatial(16, 1),
      layers.conv2d({ filters: 32, kernelSize: 1, activation: 'relu' }),
      spatial(32, 2),
      layers.conv2d({ filters: 64, kernelSize: 1, activation: 'relu' }),
      layers.flatten(),
      layers.dense({ units: 10, activation: 'softmax' }),
    ],
    { seed: 1, name: `mobile-${variant.replace(' ', '-')}`, ...(backend ? { backend } : {}) },
  );
}

interface Runner {
  label: string;
  /** Absent where the implementation cannot train this network. */
  train?(steps: number): Promise<void>;
  predict(images: number): Promise<void>;
  dispose(): void;
}

async function wasmnnRunner(variant: Variant, threads: number): Promise<Runner> {
  const { train } = await mnist();
  const backend = await createBackend('wasm', { threads });
  const model = network(variant, backend);
  model.compile({ optimizer: adam({ learningRate: 1e-3 }), loss: 'categoricalCrossentropy' });
  let offset = 0;
  return {
    label: `wasmnn wasm ${backend.threads}t, ${variant}`,
    async train(steps) {
      const x = rows(train.x, offset, steps * BATCH);
      const y = rows(train.y, offset, steps * BATCH);
      offset += steps * BATCH;
      await model.fit(new Tensor(x.data, x.shape), new Tensor(y.data, y.shape), { batchSize: BATCH, epochs: 1, shuffle: false, verbose: 0 });
    },
    async predict(images) {
      const x = rows(train.x, 0, images);
      await model.predict(new Tensor(x.data, x.shape), { batchSize: 256 });
    },
    dispose: () => model.dispose(),
  };
}

async function tfjsRunner(backend: TfBackendName, trains: boolean): Promise<Runner> {
  const { train } = await mnist();
  await useTfBackend(backend);
  const twin = network('depthwise');
  const model = await tf.models.modelFromJSON({ modelTopology: twin.toTopology() } as unknown as Parameters<typeof tf.models.modelFromJSON>[0]);
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
  let offset = 0;
  const trainSteps = async (steps: number): Promise<void> => {
    for (let i = 0; i < steps; i++) {
      const xr = rows(train.x, offset, BATCH);
      const yr = rows(train.y, offset, BATCH);
      offset += BATCH;
      const [x, y] = [tf.tensor(xr.data, xr.shape), tf.tensor(yr.data, yr.shape)];
      try {
        await model.trainOnBatch(x, y); // reads the loss back: the step has finished
      } finally {
        tf.dispose([x, y]);
      }
    }
  };
  return {
    label: `tfjs ${backend}, depthwise${trains ? '' : ' (predict only)'}`,
    ...(trains ? { train: trainSteps } : {}),
    async predict(images) {
      const xr = rows(train.x, 0, images);
      const x = tf.tensor(xr.data, xr.shape);
      const y = model.predict(x, { batchSize: 256 }) as tf.Tensor;
      await y.data();
      tf.dispose([x, y]);
    },
    dispose: () => model.dispose(),
  };
}

interface Result {
  label: string;
  train: number | null;
  predict: number | null;
  error?: string;
}

/** Warm-up (one step and one predict), then ROUNDS rounds over the runners in turn, each round about SECONDS/ROUNDS per runner. */
async function measure(runners: Runner[]): Promise<Result[]> {
  const stepSeconds: number[] = [];
  for (const r of runners) {
    await r.train?.(2);
    const t0 = now();
    await r.train?.(1);
    stepSeconds.push(now() - t0);
    await r.predict(256);
  }
  const totals = runners.map(() => ({ steps: 0, trainS: 0, images: 0, predictS: 0 }));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, r] of runners.entries()) {
      const steps = Math.max(2, Math.round(SECONDS / ROUNDS / Math.max(stepSeconds[i]!, 1e-4)));
      let t0 = now();
      if (r.train) await r.train(steps);
      totals[i]!.trainS += now() - t0;
      totals[i]!.steps += steps;
      t0 = now();
      await r.predict(PREDICT_IMAGES);
      totals[i]!.predictS += now() - t0;
      totals[i]!.images += PREDICT_IMAGES;
    }
  }
  return runners.map((r, i) => ({ label: r.label, train: r.train ? (totals[i]!.steps * BATCH) / totals[i]!.trainS : null, predict: totals[i]!.images / totals[i]!.predictS }));
}

async function main(): Promise<void> {
  console.log(`bench/depthwise.ts: batch ${BATCH}, ~${SECONDS} s of training per row in ${ROUNDS} alternating rounds, predict ${PREDICT_IMAGES} images (batches of 256)`);
  const results: Result[] = [];
  const ours = [await wasmnnRunner('depthwise', 1), await wasmnnRunner('depthwise', 2), await wasmnnRunner('full conv', 1)];
  try {
    results.push(...(await measure(ours)));
  } finally {
    for (const r of ours) r.dispose();
  }
  for (const backend of ['cpu', 'wasm'] as const) {
    let runner: Runner | undefined;
    try {
      runner = await tfjsRunner(backend, backend === 'cpu');
      results.push(...(await measure([runner])));
    } catch (err) {
      results.push({ label: `tfjs ${backend}, depthwise`, train: null, predict: null, error: errorMessage(err).split('\n')[0] });
    } finally {
      runner?.dispose();
    }
  }
  const base = results[0]!;
  const ratio = (v: number | null, b: number | null) => (v === null || b === null ? '—' : `${(v / b).toPrecision(2)}×`);
  console.log(
    table(
      ['implementation', 'train samples/s', '× wasmnn 1t', 'predict samples/s', '× wasmnn 1t', 'note'],
      results.map((r) => [r.label, fmt(r.train), ratio(r.train, base.train), fmt(r.predict), ratio(r.predict, base.predict), r.error ?? '']),
    ),
  );
}

await main();
