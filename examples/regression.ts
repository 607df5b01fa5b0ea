/**
 * A regression: a smooth function of three inputs plus noise, a linear output trained with mean
 * squared error, mae and mse as metrics, and reduceLROnPlateau lowering Adam's rate when the
 * validation loss stops improving. Prints the rate per epoch, the model's validation mae and the
 * mae of the best constant guess (the training targets' mean) to beat. Seeded: the same numbers
 * on every run. Browser-safe (imports only the core).
 *
 *   npx tsx examples/regression.ts
 */
import { Random, Sequential, adam, callbacks, layers, tensor } from 'wasmnn';

const rng = new Random(3);
const n = 1200;
const features: number[][] = [];
const targets: number[] = [];
for (let i = 0; i < n; i++) {
  const [a, b, c] = [rng.uniform(-2, 2), rng.uniform(-2, 2), rng.uniform(-2, 2)];
  features.push([a, b, c]);
  // The noise (σ ≈ 0.1) is the floor no model gets under: the plateau the callback waits for.
  targets.push(Math.sin(a) + 0.5 * b * c + 0.3 * c * c + 0.1 * rng.normal());
}
const x = tensor(features);
const y = tensor(targets.map((t) => [t]));

const model = new Sequential(
  [
    layers.dense({ units: 32, activation: 'tanh', inputShape: [3] }),
    layers.dense({ units: 32, activation: 'tanh' }),
    layers.dense({ units: 1 }),
  ],
  { seed: 1 },
);
// A deliberately high starting rate: training bounces around the minimum until it is lowered.
model.compile({ optimizer: adam({ learningRate: 0.02 }), loss: 'meanSquaredError', metrics: ['mae', 'mse'] });
const history = await model.fit(x, y, {
  epochs: 40,
  batchSize: 32,
  validationSplit: 0.25,
  verbose: 0,
  callbacks: [callbacks.reduceLROnPlateau({ monitor: 'val_loss', factor: 0.5, patience: 2, minLr: 1e-4 })],
});
const rates = history.history['lr']!;
console.log(`learning rate per epoch: ${rates.map((r) => r.toPrecision(3)).join(', ')}`);

// fit's validationSplit holds out the last quarter; the baseline predicts the training mean there.
const trainCount = n - n / 4;
const mean = targets.slice(0, trainCount).reduce((s, t) => s + t, 0) / trainCount;
const baselineMae = targets.slice(trainCount).reduce((s, t) => s + Math.abs(t - mean), 0) / (n - trainCount);
const last = (key: string) => history.history[key]!.at(-1)!.toFixed(4);
console.log(`validation: mae ${last('val_mae')}, mse ${last('val_mse')}; baseline mae ${baselineMae.toFixed(4)}`);
model.dispose();
