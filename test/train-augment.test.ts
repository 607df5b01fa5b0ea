import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { architecture, compileWithRecipe, recipe } from '../src/architectures.js';
import { layers, loadMnist, Sequential } from '../src/index.node.js';

// The compact architecture with rotation, translation and zoom in front, a few hundred steps on an
// MNIST subset (as train-e2e.test.ts does without them): training on augmented batches still
// learns, and the model it leaves predicts un-augmented test images.
test('the compact model with augmentation in front learns MNIST: > 95% test accuracy after 800 steps on a subset', async () => {
  const { train, test: testSet } = await loadMnist({ trainLimit: 25600, testLimit: 2000 });
  const model = new Sequential(
    [
      layers.randomRotation({ factor: 0.04, fillMode: 'constant', inputShape: [28, 28, 1] }),
      layers.randomTranslation({ heightFactor: 0.1, widthFactor: 0.1, fillMode: 'constant' }),
      layers.randomZoom({ heightFactor: 0.1, fillMode: 'constant' }),
      ...architecture('compact').layers(),
    ],
    { seed: 1 },
  );
  compileWithRecipe(model, recipe('compact', { epochs: 1, batchSize: 32, learningRate: 3e-3 }), train.x.shape[0]!);
  const t0 = performance.now();
  await model.fit(train.x, train.y, { batchSize: 32, epochs: 1, verbose: 0 });
  const seconds = (performance.now() - t0) / 1000;
  const { accuracy } = await model.evaluate(testSet.x, testSet.y);
  console.log(`      augmented: ${model.backend!.name} backend, test accuracy ${(accuracy! * 100).toFixed(2)}% after 800 steps (${seconds.toFixed(1)} s of training)`);
  assert.ok(accuracy! > 0.95, `test accuracy ${accuracy}`);
  model.dispose();
});

test.run();
