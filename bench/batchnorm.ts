// What BatchNormalization costs in training: a small BN CNN's samples/s against the same CNN
// without BN, on MNIST, in one process, alternating round by round so all see the same machine
// (a shared host's speed drifts by 2-3x within minutes). Three models:
//   plain      conv(relu fused) → pool → conv(relu fused) → pool → dense        (what one writes without BN)
//   separate   conv → relu layer → pool → conv → relu layer → pool → dense      (the BN model minus its BN layers)
//   bn         conv(no bias) → BN → relu layer → pool → conv(no bias) → BN → relu layer → pool → dense
// The BN overhead is bn vs plain (the target: ≤ 15%); bn vs separate is BN's own kernels less the
// separate relu passes, since BN applies a relu layer that follows it inside its own passes
// (model/activation-absorption.ts), as conv fuses its relu in plain. When python3 can import
// torch, PyTorch on the CPU trains the bn model (bench/torch/anchor.py 'bn-cnn': same layers,
// Keras' BN defaults, Adam 1e-3, same batch size, threads and MNIST images) in the same rounds.
//
//   npx tsx bench/batchnorm.ts [--threads 1] [--batch 64] [--rounds 6] [--round-seconds 2]
import { setFlagsFromString } from 'node:v8';
import { layers, optimizers, Sequential, type Layer } from '../src/index.node.js';
import { createBackend } from '../src/kernels/index.js';
import { median, table } from './common.js';
import { TORCH_HINT, TorchModel, torchAvailable } from './torch-anchor.js';
import { alternateRounds, mnistSteps, positiveFlag, type StepTrainer } from './alternating.js';

setFlagsFromString('--experimental-wasm-relaxed-simd');

const threads = positiveFlag('bench/batchnorm', '--threads', 1);
const batchSize = positiveFlag('bench/batchnorm', '--batch', 64);
const rounds = positiveFlag('bench/batchnorm', '--rounds', 6);
const roundSeconds = positiveFlag('bench/batchnorm', '--round-seconds', 2);

const INPUT = [28, 28, 1];

/** One conv block of the three variants. */
function convBlock(variant: string, filters: number, first: boolean): Layer[] {
  const shape = first ? { inputShape: INPUT } : {};
  if (variant === 'plain') return [layers.conv2d({ filters, kernelSize: 3, activation: 'relu', ...shape })];
  const conv = layers.conv2d({ filters, kernelSize: 3, useBias: variant !== 'bn', ...shape });
  const relu = layers.activation({ activation: 'relu' });
  return variant === 'bn' ? [conv, layers.batchNormalization(), relu] : [conv, relu];
}

async function trainer(variant: string): Promise<StepTrainer> {
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
  return mnistSteps(model, batchSize);
}

const variants = ['plain', 'separate', 'bn'];
const trainers: StepTrainer[] = [];
for (const variant of variants) trainers.push(await trainer(variant));
if (torchAvailable()) {
  const { model } = await TorchModel.start('bn-cnn', threads, batchSize, 1e-3);
  variants.push('bn, PyTorch CPU');
  trainers.push({ steps: async (n) => void (await model.send({ cmd: 'train', steps: n })), dispose: () => model.dispose() });
} else console.log(TORCH_HINT);
const rates = await alternateRounds(trainers, batchSize, rounds, roundSeconds);
for (const t of trainers) t.dispose();

const ratio = (a: number, b: number) => rates[a]!.map((r, k) => r / rates[b]![k]!);
const overhead = (rs: number[]) => `${((1 / median(rs) - 1) * 100).toFixed(1)}% (rounds ${((1 / Math.max(...rs) - 1) * 100).toFixed(1)}..${((1 / Math.min(...rs) - 1) * 100).toFixed(1)}%)`;
console.log(`wasm backend, ${threads} thread(s), batch ${batchSize}, ${rounds} alternating rounds of ~${roundSeconds} s, MNIST 28x28`);
console.log(table(['model', 'samples/s (median)', 'min', 'max'], variants.map((v, i) => [v, median(rates[i]!).toFixed(0), Math.min(...rates[i]!).toFixed(0), Math.max(...rates[i]!).toFixed(0)])));
console.log(`BN overhead vs plain (relu fused into conv): ${overhead(ratio(2, 0))}`);
console.log(`BN overhead vs separate relu layers (BN's own cost, its relu fused): ${overhead(ratio(2, 1))}`);
if (variants.length > 3) console.log(`bn model, wasmnn vs PyTorch CPU: ${median(ratio(2, 3)).toFixed(2)}× (rounds ${Math.min(...ratio(2, 3)).toFixed(2)}..${Math.max(...ratio(2, 3)).toFixed(2)}×)`);
