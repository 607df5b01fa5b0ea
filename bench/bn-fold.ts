// What folding BatchNormalization into the layer before it saves in predict: the same BN CNN
// predicting with model.foldBatchNorm on and off, in one process, alternating round by round so
// both see the same machine. Two workloads: batches of 64 (throughput) and single images
// (latency). The model is a small mobile-style CNN where every conv is followed by BN:
//   conv 3x3 (no bias) → BN → relu → depthwise 3x3 → BN → relu → conv 1x1 (no bias) → BN → relu
//   → maxpool → conv 3x3 (no bias) → BN → relu → global average pool → dense → BN → dense softmax
//
//   npx tsx bench/bn-fold.ts [--threads 1] [--rounds 6] [--round-seconds 1]
import { setFlagsFromString } from 'node:v8';
import { layers, Sequential, Tensor } from '../src/index.node.js';
import { createBackend } from '../src/kernels/index.js';
import { median, now, table } from './common.js';

setFlagsFromString('--experimental-wasm-relaxed-simd');

function option(flag: string, fallback: number): number {
  const i = process.argv.indexOf(flag);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!(v > 0)) throw new Error(`bench/bn-fold: ${flag} must be a positive number, got ${process.argv[i + 1]}`);
  return v;
}

const threads = option('--threads', 1);
const rounds = option('--rounds', 6);
const roundSeconds = option('--round-seconds', 1);
const INPUT = [28, 28, 1];

const backend = await createBackend('wasm', { threads });
const model = new Sequential(
  [
    layers.conv2d({ filters: 32, kernelSize: 3, useBias: false, inputShape: INPUT }),
    layers.batchNormalization(),
    layers.activation({ activation: 'relu' }),
    layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', useBias: false }),
    layers.batchNormalization(),
    layers.activation({ activation: 'relu' }),
    layers.conv2d({ filters: 64, kernelSize: 1, useBias: false }),
    layers.batchNormalization(),
    layers.activation({ activation: 'relu' }),
    layers.maxPooling2d({ poolSize: 2 }),
    layers.conv2d({ filters: 64, kernelSize: 3, useBias: false }),
    layers.batchNormalization(),
    layers.activation({ activation: 'relu' }),
    layers.globalAveragePooling2d(),
    layers.dense({ units: 64 }),
    layers.batchNormalization(),
    layers.dense({ units: 10, activation: 'softmax' }),
  ],
  { backend, seed: 1 },
);
await model.build();
// Moving statistics away from their initial 0 and 1, as after training.
let state = 1;
const uniform = () => ((state = (state * 1103515245 + 12345) >>> 0) / 2 ** 32);
model.setWeights(model.getWeights().map((w) => (w.name.endsWith('moving_variance') ? { ...w, data: w.data.map(() => 0.5 + uniform()) } : w.name.endsWith('moving_mean') ? { ...w, data: w.data.map(() => uniform() - 0.5) } : w)));

const batch = new Tensor(Float32Array.from({ length: 64 * 784 }, uniform), [64, ...INPUT]);
const single = new Tensor(batch.data.slice(0, 784), [1, ...INPUT]);
const workloads = [
  { name: 'batch of 64', x: batch, batchSize: 64 },
  { name: 'single image', x: single, batchSize: 1 },
];

async function timeCalls(x: Tensor, batchSize: number, seconds: number): Promise<number> {
  let calls = 0;
  const t0 = now();
  do {
    await model.predict(x, { batchSize });
    calls++;
  } while (now() - t0 < seconds);
  return (now() - t0) / calls;
}

const rowsOut: string[][] = [];
for (const w of workloads) {
  // Warm-up (tier-up, memory plans, the first fold), and the difference on these inputs.
  model.foldBatchNorm = true;
  const folded = (await model.predict(w.x, { batchSize: w.batchSize })).data;
  await timeCalls(w.x, w.batchSize, 0.3);
  model.foldBatchNorm = false;
  const plain = (await model.predict(w.x, { batchSize: w.batchSize })).data;
  await timeCalls(w.x, w.batchSize, 0.3);
  let diff = 0;
  for (let i = 0; i < plain.length; i++) diff = Math.max(diff, Math.abs(plain[i]! - folded[i]!));
  const times: Record<'on' | 'off', number[]> = { on: [], off: [] };
  for (let round = 0; round < rounds; round++) {
    for (const fold of [round % 2 === 0, round % 2 !== 0]) {
      model.foldBatchNorm = fold;
      times[fold ? 'on' : 'off'].push(await timeCalls(w.x, w.batchSize, roundSeconds / 2));
    }
  }
  const ms = (xs: number[]) => (median(xs) * 1000).toFixed(3);
  const speedups = times.off.map((t, i) => t / times.on[i]!);
  rowsOut.push([w.name, ms(times.off), ms(times.on), `${median(speedups).toFixed(2)}x (${Math.min(...speedups).toFixed(2)}..${Math.max(...speedups).toFixed(2)})`, diff.toExponential(1)]);
}
model.dispose();
console.log(`wasm backend, ${threads} thread(s), ${rounds} alternating rounds of ~${roundSeconds} s, 28x28x1 input, 5 BatchNormalization layers (all foldable)`);
console.log(table(['predict', 'ms per call, unfolded (median)', 'folded', 'speed-up (median, rounds min..max)', 'max |Δ|'], rowsOut));
