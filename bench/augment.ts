// What augmentation costs in training: the compact CNN's samples/s (src/architectures.ts) with
// RandomRotation(0.04) + RandomTranslation(0.1, 0.1) + RandomZoom(0.1) in front (the accurate
// recipe's stack: three resamplings), with RandomAffine of the same ranges (one resampling), and
// with the three Keras layers plus RandomElastic(alpha 34, sigma 4), against the same model
// without them, on MNIST, alternating rounds in one process (bench/alternating.ts), and the
// fastest single step of each (steadier on a loaded host). Issue target: ≤ 15% for the Keras stack.
//
//   npx tsx bench/augment.ts [--threads 1] [--batch 64] [--rounds 4] [--round-seconds 2]
import { setFlagsFromString } from 'node:v8';
import { architecture } from '../src/architectures.js';
import { layers, optimizers, Sequential, type Layer } from '../src/index.node.js';
import { createBackend } from '../src/kernels/index.js';
import { median, table } from './common.js';
import { alternateRounds, fastestSteps, mnistSteps, positiveFlag } from './alternating.js';

setFlagsFromString('--experimental-wasm-relaxed-simd');

const threads = positiveFlag('bench/augment', '--threads', 1);
const batchSize = positiveFlag('bench/augment', '--batch', 64);
const rounds = positiveFlag('bench/augment', '--rounds', 4);
const roundSeconds = positiveFlag('bench/augment', '--round-seconds', 2);

const INPUT: [number, number, number] = [28, 28, 1];

function kerasStack(): Layer[] {
  return [
    layers.randomRotation({ factor: 0.04, fillMode: 'constant', inputShape: INPUT }),
    layers.randomTranslation({ heightFactor: 0.1, widthFactor: 0.1, fillMode: 'constant' }),
    layers.randomZoom({ heightFactor: 0.1, fillMode: 'constant' }),
  ];
}

const variants: [string, () => Layer[]][] = [
  ['compact', () => []],
  ['+ rotation, translation, zoom (3 warps)', kerasStack],
  ['+ RandomAffine, same ranges (1 warp)', () => [layers.randomAffine({ rotation: 0.04, translation: 0.1, zoom: 0.1, fillMode: 'constant', inputShape: INPUT })]],
  ['+ 3 warps + RandomElastic(34, 4)', () => [...kerasStack(), layers.randomElastic({ alpha: 34, sigma: 4, fillMode: 'constant' })]],
];
const trainers = [];
for (const [, front] of variants) {
  const backend = await createBackend('wasm', { threads });
  const model = new Sequential([...front(), ...architecture('compact').layers()], { backend, seed: 1 });
  model.compile({ optimizer: optimizers.adam({ learningRate: 1e-3 }), loss: 'categoricalCrossentropy' });
  trainers.push(await mnistSteps(model, batchSize));
}
const rates = await alternateRounds(trainers, batchSize, rounds, roundSeconds);
const fastest = await fastestSteps(trainers, 40);
for (const t of trainers) t.dispose();

const cost = (r: number) => `${((1 / r - 1) * 100).toFixed(1)}%`;
console.log(`wasm backend, ${threads} thread(s), batch ${batchSize}, ${rounds} alternating rounds of ~${roundSeconds} s, MNIST 28x28`);
console.log(
  table(
    ['model', 'samples/s (median)', 'min', 'max', 'cost (median round)', 'cost (rounds)', 'fastest step', 'cost (fastest)'],
    variants.map(([name], i) => {
      const ratios = rates[i]!.map((r, k) => r / rates[0]![k]!);
      const costs = i === 0 ? ['', ''] : [cost(median(ratios)), `${cost(Math.max(...ratios))}..${cost(Math.min(...ratios))}`];
      const step = [`${(fastest[i]! * 1000).toFixed(2)} ms`, i === 0 ? '' : cost(fastest[0]! / fastest[i]!)];
      return [name, median(rates[i]!).toFixed(0), Math.min(...rates[i]!).toFixed(0), Math.max(...rates[i]!).toFixed(0), ...costs, ...step];
    }),
  ),
);
console.log('issue target: the Keras stack (3 warps) costs ≤ 15%');
