/**
 * The shipped model's training script (src/recognizer/train-open-set.ts) on a CI-sized run: an
 * 11-class model of the named architecture with its temperature baked in, trained with or without
 * the pose augmentation, and saved as the network alone either way.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { architecture } from '../src/architectures.js';
import { Augmentation } from '../src/layers/augmentation.js';
import { Tensor } from '../src/index.node.js';
import { trainOpenSet, type OpenSetTrainingOptions } from '../src/recognizer/train-open-set.js';
import { OPEN_SET_CLASSES } from '../src/recognizer/open-set-data.js';

const tiny: OpenSetTrainingOptions = { seed: 3, arch: 'compact', perFamily: 8, valPerFamily: 4, overlaid: 20, turned: 10, painted: 0, mnistVal: 100, trainLimit: 400, epochs: 1, log: () => {} };

test('with --augment: trained behind the pose layers, saved without them, the same layers and weights names as without', async () => {
  const plain = await trainOpenSet(tiny);
  const augmented = await trainOpenSet({ ...tiny, augment: true });
  try {
    const classes = (r: typeof plain): string[] => r.model.layers.map((l) => l.className);
    assert.equal(classes(augmented), classes(plain));
    assert.not.ok(augmented.model.layers.some((l) => l instanceof Augmentation));
    assert.equal(classes(plain), architecture('compact').layers().map((l) => l.className));
    assert.is(augmented.model.outputShape.at(-1), OPEN_SET_CLASSES);
    assert.equal(augmented.model.getWeights().map((w) => w.name), plain.model.getWeights().map((w) => w.name));
    assert.is(augmented.report.augment, true);
    assert.is(plain.report.augment, false);
    // Different training (the poses), so different weights; and a working, calibrated softmax.
    assert.ok(augmented.model.getWeights()[0]!.data.some((v, i) => v !== plain.model.getWeights()[0]!.data[i]));
    const p = (await augmented.model.predict(new Tensor(new Float32Array(2 * 784).fill(0.2), [2, 28, 28, 1]))).data;
    for (const row of [0, 1]) assert.ok(Math.abs(p.subarray(row * 11, row * 11 + 11).reduce((a, v) => a + v, 0) - 1) < 1e-5);
    assert.ok(augmented.report.temperature > 0 && Number.isFinite(augmented.report.temperature));
  } finally {
    plain.model.dispose();
    augmented.model.dispose();
  }
});

test.run();
