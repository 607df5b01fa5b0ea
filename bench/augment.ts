// What augmentation costs in training: the compact CNN's samples/s (src/architectures.ts) with
// RandomRotation(0.04) + RandomTranslation(0.1, 0.1) + RandomZoom(0.1) in front against the same
// model without them, on MNIST, alternating rounds in one process (bench/alternating.ts), and the
// fastest single step of each (steadier on a loaded host). Issue target: ≤ 15%.
//
//   npx tsx bench/augment.ts [--threads 1] [--batch 64] [--rounds 6] [--round-seconds 2]
import { setFlagsFromString } from 'node:v8';
import { architecture } from '../src/architectures.js';
import { layers, optimizers, Sequential, type Layer } from '../src/index.node.js';
import { createBackend } from '../src/kernels/index.js';
import { median, table } from './common.js';
import { alternateRounds, fastestSteps, mnistSteps, positiveFlag } from './alternating.js';

setFlagsFromString('--experimental-wasm-relaxed-simd');

const threads = positiveFlag('bench/augment', '--threads', 1);
const batchSize = positiveFlag('bench/augment', '--batch', 64);
const rounds = positiveFlag('bench/augment', '--rounds', 6);
const roundSeconds = positiveFlag('bench/augment', '--round-seconds', 2);

function augmentation(): Layer[] {
  return [
    layers.randomRotation({ factor: 0.04, fillMode: 'constant', inputShape: [28, 28, 1] }),
    layers.randomTranslation({ heightFactor: 0.1, widthFactor: 0.1, fillMode: 'constant' }),
    layers.randomZoom({ heightFactor: 0.1, fillMode: 'constant' }),
  ];
}

const variants = ['compact', 'compact + augmentation'] as const;
const trainers = [];
for (const variant of variants) {
  const backend = await createBackend('wasm', { threads });
  const front = variant === 'compact' ? [] : augmentation();
  const model = new Sequential([...front, ...architecture('compact').layers()], { backend, seed: 1 });
  model.compile({ optimizer: optimizers.adam({ learningRate: 1e-3 }), loss: 'categoricalCrossentropy' });
  trainers.push(await mnistSteps(model, batchSize));
}
const rates = await alternateRounds(trainers, batchSize, rounds, roundSeconds);
const fastest = await fastestSteps(trainers, 40);
for (const t of trainers) t.dispose();

const ratios = rates[1]!.map((r, k) => r / rates[0]![k]!);
const cost = (r: number) => `${((1 / r - 1) * 100).toFixed(1)}%`;
console.log(`wasm backend, ${threads} thread(s), batch ${batchSize}, ${rounds} alternating rounds of ~${roundSeconds} s, MNIST 28x28`);
console.log(table(['model', 'samples/s (median)', 'min', 'max'], variants.map((v, i) => [v, median(rates[i]!).toFixed(0), Math.min(...rates[i]!).toFixed(0), Math.max(...rates[i]!).toFixed(0)])));
console.log(`augmentation cost (target ≤ 15%): ${cost(median(ratios))} (rounds ${cost(Math.max(...ratios))}..${cost(Math.min(...ratios))})`);
console.log(`fastest of 40 single steps each: ${(fastest[0]! * 1000).toFixed(2)} ms vs ${(fastest[1]! * 1000).toFixed(2)} ms, cost ${cost(fastest[0]! / fastest[1]!)}`);
