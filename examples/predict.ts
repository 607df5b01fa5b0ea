/**
 * Load a saved model and classify the first N MNIST test images.
 *
 *   npm run example:predict                          # ./model-out, 20 images
 *   npx tsx examples/predict.ts ./my-model 100       # model dir, count
 *
 * Environment: EXAMPLE_MODEL_DIR (default ./model-out), EXAMPLE_COUNT (default 20),
 * WASMNN_BACKEND=wasm|js. Arguments win over the environment.
 */
import { loadMnist, loadModel } from 'wasmnn';

const dir = process.argv[2] ?? process.env['EXAMPLE_MODEL_DIR'] ?? './model-out';
const countText = process.argv[3] ?? process.env['EXAMPLE_COUNT'] ?? '20';
const count = Number(countText);
if (!Number.isInteger(count) || count < 1) throw new Error(`the image count must be a positive integer, got '${countText}'`);

const model = await loadModel(dir).catch((err: Error) => {
  // The usual first run: no model trained yet. Say what to do instead of a stack trace.
  console.error(`No model to load at ${dir}: ${err.message}\nTrain one first (npm run example:train), or pass a model directory: npx tsx examples/predict.ts DIR [COUNT]`);
  process.exit(1);
});
const { test } = await loadMnist({ trainLimit: 0, testLimit: count });

const probabilities = await model.predict(test.x); // [n, 10]
const predicted = probabilities.argMax();

let correct = 0;
for (let i = 0; i < test.labels.length; i++) {
  const digit = predicted[i]!;
  const truth = test.labels[i]!;
  const confidence = probabilities.data[i * 10 + digit]!;
  if (digit === truth) correct++;
  console.log(`#${String(i).padStart(4)}  predicted ${digit}  true ${truth}  ${digit === truth ? 'ok   ' : 'WRONG'}  p=${confidence.toFixed(3)}`);
}
console.log(`Accuracy: ${correct}/${test.labels.length} = ${((100 * correct) / test.labels.length).toFixed(1)}%`);
model.dispose();
