// What augmentation costs in training: the compact CNN's samples/s (src/architectures.ts) with
// RandomRotation(0.04) + RandomTranslation(0.1, 0.1) + RandomZoom(0.1) in front against the same
// model without them, on MNIST, in one process, alternating round by round so both see the same
// machine (a shared host's speed drifts by 2-3x within minutes). Issue target: ≤ 15%.
//
//   npx tsx bench/augment.ts [--threads 1] [--batch 64] [--rounds 6] [--round-seconds 2]
import { setFlagsFromString } from 'node:v8';
import { architecture } from '../src/architectures.js';
import { layers, optimizers, Sequential, Tensor, type Layer } from '../src/index.node.js';
import { createBackend } from '../src/kernels/index.js';
import { median, mnist, now, rows, table } from './common.js';

setFlagsFromString('--experimental-wasm-relaxed-simd');

function option(flag: string, fallback: number): number {
  const i = process.argv.indexOf(flag);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!(v > 0)) throw new Error(`bench/augment: ${flag} must be a positive number, got ${process.argv[i + 1]}`);
  return v;
}

const threads = option('--threads', 1);
const batchSize = option('--batch', 64);
const rounds = option('--rounds', 6);
const roundSeconds = option('--round-seconds', 2);

function augmentation(): Layer[] {
  return [
    layers.randomRotation({ factor: 0.04, fillMode: 'constant', inputShape: [28, 28, 1] }),
    layers.randomTranslation({ heightFactor: 0.1, widthFactor: 0.1, fillMode: 'constant' }),
    layers.randomZoom({ heightFactor: 0.1, fillMode: 'constant' }),
  ];
}

async function trainer(variant: 'compact' | 'compact + augmentation'): Promise<{ variant: string; steps: (n: number) => Promise<void>; dispose: () => void }> {
  const { train } = await mnist();
  const backend = await createBackend('wasm', { threads });
  const front = variant === 'compact' ? [] : augmentation();
  const model = new Sequential([...front, ...architecture('compact').layers()], { backend, seed: 1 });
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

const trainers = [await trainer('compact'), await trainer('compact + augmentation')];
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

const ratios = rates[1]!.map((r, k) => r / rates[0]![k]!);
const cost = (r: number) => `${((1 / r - 1) * 100).toFixed(1)}%`;
console.log(`wasm backend, ${threads} thread(s), batch ${batchSize}, ${rounds} alternating rounds of ~${roundSeconds} s, MNIST 28x28`);
console.log(table(['model', 'samples/s (median)', 'min', 'max'], trainers.map((t, i) => [t.variant, median(rates[i]!).toFixed(0), Math.min(...rates[i]!).toFixed(0), Math.max(...rates[i]!).toFixed(0)])));
console.log(`augmentation cost (target ≤ 15%): ${cost(median(ratios))} (rounds ${cost(Math.max(...ratios))}..${cost(Math.min(...ratios))})`);
