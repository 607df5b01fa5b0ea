import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildArchitecture, compileWithRecipe, DEFAULT_ARCHITECTURE, recipe } from '../src/architectures.js';
import { loadMnist } from '../src/index.node.js';

// A few hundred steps of the default architecture on an MNIST subset, on the default
// backend (WASM where available), with a fixed seed: small enough for CI, and a real
// end-to-end proof that data → layers → loss → backward → optimizer learns.
test('the default model learns MNIST: > 95% test accuracy after 400 steps on a subset', async () => {
  const { train, test: testSet } = await loadMnist({ trainLimit: 12800, testLimit: 2000 });
  const model = buildArchitecture(DEFAULT_ARCHITECTURE, { seed: 1 });
  const r = recipe(DEFAULT_ARCHITECTURE, { epochs: 1, batchSize: 32, learningRate: 3e-3 });
  compileWithRecipe(model, r, train.x.shape[0]!);
  await model.fit(train.x, train.y, { batchSize: 32, epochs: 1, verbose: 0 });
  const { accuracy } = await model.evaluate(testSet.x, testSet.y);
  console.log(`      e2e: ${model.backend!.name} backend, test accuracy ${(accuracy! * 100).toFixed(2)}% after 400 steps`);
  assert.ok(accuracy! > 0.95, `test accuracy ${accuracy}`);
  model.dispose();
});

test.run();
