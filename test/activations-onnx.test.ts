// ONNX export of models using every activation and LeakyReLU, judged by onnxruntime against
// wasmnn's own predictions (gelu_new and exponential have no TF.js side to compare with).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { activationNames } from '../src/activations.js';
import { layers, Sequential, tensor, type NamedWeight } from '../src/index.js';
import { toOnnx } from '../src/model/onnx/index.js';
import { maxAbsDiff, runOnnx } from './helpers/onnx-runtime.js';
import { mulberry32, randomArray } from './helpers/random.js';

const rng = mulberry32(31);

test('every activation wasmnn has, on Conv2D, Dense and Activation, with LeakyReLU, exports to ONNX and predicts the same', async () => {
  for (const activation of activationNames) {
    const model = new Sequential([
      layers.conv2d({ filters: 3, kernelSize: 3, activation, inputShape: [5, 5, 2] }),
      layers.leakyReLU({ alpha: 0.2 }),
      layers.flatten(),
      layers.dense({ units: 4, activation }),
      // exponential twice in a row overflows float32
      layers.activation({ activation: activation === 'exponential' ? 'linear' : activation }),
    ]);
    await model.build();
    model.setWeights(model.getWeights().map((w): NamedWeight => ({ ...w, data: randomArray(rng, w.data.length, -0.4, 0.4) })));
    const x = randomArray(rng, 2 * 50, -2, 2);
    const ours = await model.predict(tensor(x, [2, 5, 5, 2]));
    const theirs = await runOnnx(toOnnx(model), x, [2, 5, 5, 2]);
    const diff = maxAbsDiff(theirs.data, ours.data);
    assert.ok(diff <= 1e-5 * Math.max(1, ...Array.from(ours.data, Math.abs)), `${activation}: max |Δ| ${diff}`);
    model.dispose();
  }
});

test.run();
