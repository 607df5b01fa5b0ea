// What BatchNormalization costs in training: a small BN CNN's samples/s against the same CNN
// without BN, on MNIST, in one process, alternating round by round so all see the same machine
// (a shared host's speed drifts by 2-3x within minutes). Three models:
//   plain      conv(relu fused) → pool → conv(relu fused) → pool → dense        (what one writes without BN)
//   separate   conv → relu layer → pool → conv → relu layer → pool → dense      (the BN model minus its BN layers)
//   bn         conv(no bias) → BN → relu layer → pool → conv(no bias) → BN → relu layer → pool → dense
// The BN overhead is bn vs plain (the target: ≤ 15%); bn vs separate is BN's own kernels.
//
//   npx tsx bench/batchnorm.ts [--threads 1] [--batch 64] [--rounds 6] [--round-seconds 2]
import { setFlagsFromString } from 'node:v8';
import { layers, optimizers, Sequential, Tensor, type Layer } from '../src/index.node.js';
import { createBackend } from '../src/kernels/index.js';
import { median, mnist, now, rows, table } from './common.js';

setFlagsFromString('--experimental-wasm-relaxed-simd');

function option(flag: string, fallback: number): number {
  const i = process.argv.indexOf(flag);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!(v > 0)) throw new Error(`bench/batchnorm: ${flag} must be a positive number, got ${process.argv[i + 1]}`);
  return v;
}

const threads = option('--threads', 1);
const batchSize = option('--batch', 64);
const rounds = option('--rounds', 6);
const roundSeconds = option('--round-seconds', 2);

const INPUT = [28, 28, 1];

/** One conv block of the three variants. */
function convBlock(variant: string, filters: number, first: boolean): Layer[] {
  const shape = first ? { inputShape: INPUT } : {};
  if (variant === 'plain') return [layers.conv2d({ filters, kernelSize: 3, activation: 'relu', ...shape })];
  const conv = layers.conv2d({ filters, kernelSize: 3, useBias: variant !== 'bn', ...shape });
  const relu = layers.activation({ activation: 'relu' });
  return variant === 'bn' ? [conv, layers.batchNormalization(), relu] : [conv, relu];
}

async function trainer(variant: string): Promise<{ variant: string; steps: (n: number) => Promise<void>; dispose: () => void }> {
  const { train } = await mnist();
  const backend = await createBackend('wasm', { threads });
  const model = new Sequential(
    [
      ...convBlock(variant, 32, true),
      layers.maxPooling2d({ poolSize: 2 }),
      ...convBlock(variant, 64, false),
      layers.maxPooling2d({ poolSize: 2 }),
      layers.flatten(),
      layers.dense({ units: 10, activation: 'softmax' }),
    ],
    { backend, seed: 1 },
  );
  model.compile({ optimizer: optimizers.adam({ learningRate: 1e-3 }), loss: 'categoricalCrossentropy' });
  let offset = 0;
  return {
    variant,
    async steps(n) {
      const x = rows(train.x, offset, n * batchSize);
      const y = rows(train.y, offset, n * batchSize);
      offset += n * batchSize;
      await model.fit(new Tensor(x.data, x.shape), new Tensor(y.data, y.shape), { batchSize, epochs: 1, shuffle: false, verbose: 0 });
    },
    dispose: () => model.dispose(),
  };
}

const trainers = [await trainer('plain'), await trainer('separate'), await trainer('bn')];
// Warm-up (tier-up, memory plans), and a step time to size each round.
const stepSeconds: number[] = [];
for (const t of trainers) {
  await t.steps(2);
  const t0 = now();
  await t.steps(2);
  stepSeconds.push((now() - t0) / 2);
}
const rates: number[][] = trainers.map(() => []);
for (let round = 0; round < rounds; round++) {
  for (const [i, t] of trainers.entries()) {
    const steps = Math.max(2, Math.round(roundSeconds / stepSeconds[i]!));
    const t0 = now();
    await t.steps(steps);
    rates[i]!.push((steps * batchSize) / (now() - t0));
  }
}
for (const t of trainers) t.dispose();

const ratio = (a: number, b: number) => rates[a]!.map((r, k) => r / rates[b]![k]!);
const overhead = (rs: number[]) => `${((1 / median(rs) - 1) * 100).toFixed(1)}% (rounds ${((1 / Math.max(...rs) - 1) * 100).toFixed(1)}..${((1 / Math.min(...rs) - 1) * 100).toFixed(1)}%)`;
console.log(`wasm backend, ${threads} thread(s), batch ${batchSize}, ${rounds} alternating rounds of ~${roundSeconds} s, MNIST 28x28`);
console.log(table(['model', 'samples/s (median)', 'min', 'max'], trainers.map((t, i) => [t.variant, median(rates[i]!).toFixed(0), Math.min(...rates[i]!).toFixed(0), Math.max(...rates[i]!).toFixed(0)])));
console.log(`BN overhead vs plain (relu fused into conv): ${overhead(ratio(2, 0))}`);
console.log(`BN overhead vs separate relu layers (BN's own cost): ${overhead(ratio(2, 1))}`);
