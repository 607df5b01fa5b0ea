// The model core's contracts: non-trainable state, freezing, optimizer slots sized by the
// optimizer, self-registering layers, and a model that survives failed or concurrent calls.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { JsBackend } from '../src/kernels/js/index.js';
import type { Ptr } from '../src/kernels/kernels.js';
import { kerasNamePrefix } from '../src/layers/registry.js';
import { Layer, layers, loadModel, optimizers, registerLayer, Sequential, setSeed, tensor, oneHot, type LayerArgs, type ModelArtifacts, type ModelJson, type NamedWeight } from '../src/index.js';
import type { StepContext } from '../src/layers/layer.js';
import type { Shape } from '../src/tensor.js';
import { mulberry32, randomArray } from './helpers/random.js';
import { rejects } from './helpers/rejects.js';

const quiet = { verbose: 0 as const };

/**
 * A layer with non-trainable state and a multi-word class name: it passes its input through and
 * counts the training batches it has seen in its state, as BatchNormalization's moving statistics
 * change in forward and never through the optimizer.
 */
class BatchCounter extends Layer {
  readonly className = 'BatchCounter';
  constructor(args: LayerArgs = {}) {
    super(args);
  }
  protected computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape];
  }
  protected override declareState() {
    return [this.newState('seen_batches', [1], 'zeros')];
  }
  forward(ctx: StepContext, x: Ptr): Ptr {
    if (ctx.training) ctx.backend.f32()[this.state[0]!.ptr]! += 1;
    return x;
  }
  backward(_ctx: StepContext, dy: Ptr): Ptr {
    return dy;
  }
  getConfig(): Record<string, unknown> {
    return {};
  }
}
registerLayer('BatchCounter', (c) => new BatchCounter({ ...(typeof c['name'] === 'string' ? { name: c['name'] } : {}), ...(Array.isArray(c['batch_input_shape']) ? { inputShape: (c['batch_input_shape'] as number[]).slice(1) } : {}) }));

function data(n: number, seed = 1): { x: ReturnType<typeof tensor>; y: ReturnType<typeof tensor> } {
  const rand = mulberry32(seed);
  return { x: tensor(randomArray(rand, n * 6 * 6), [n, 6, 6, 1]), y: oneHot(Array.from({ length: n }, (_, i) => i % 3), 3) };
}

function smallCnn(backend: 'js' | 'wasm' | JsBackend = 'js'): Sequential {
  return new Sequential(
    [
      layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', inputShape: [6, 6, 1] }),
      layers.flatten(),
      layers.dense({ units: 8, activation: 'relu' }),
      layers.dense({ units: 3, activation: 'softmax' }),
    ],
    { backend, seed: 3, threads: 1 },
  );
}

function byName(ws: NamedWeight[]): Map<string, Float32Array> {
  return new Map(ws.map((w) => [w.name, w.data]));
}

/** model.json and the weight bytes, as save() hands them to a function. */
async function saveToMemory(model: Sequential): Promise<{ modelJson: ModelJson; weightData: Uint8Array }> {
  let out: ModelArtifacts | undefined;
  await model.save((a) => void (out = a));
  const weightData = out!.weightData;
  return { modelJson: out!.modelJson, weightData: weightData instanceof Uint8Array ? weightData : weightData[0]! };
}

function summaryText(model: Sequential): string {
  let text = '';
  model.summary((t) => (text = t));
  return text;
}

test('Keras name prefixes derive from class names, multi-word ones included', () => {
  const cases: [string, string][] = [
    ['Conv2D', 'conv2d'],
    ['Dense', 'dense'],
    ['MaxPooling2D', 'max_pooling2d'],
    ['BatchNormalization', 'batch_normalization'],
    ['GlobalAveragePooling2D', 'global_average_pooling2d'],
    ['DepthwiseConv2D', 'depthwise_conv2d'],
    ['LeakyReLU', 'leaky_re_lu'],
    ['BatchCounter', 'batch_counter'],
  ];
  for (const [cls, prefix] of cases) assert.is(kerasNamePrefix(cls), prefix, cls);
});

test('non-trainable state: counted apart in summary, untouched by the optimizer and weight decay, saved and loaded', async () => {
  const model = new Sequential([new BatchCounter({ inputShape: [4] }), layers.dense({ units: 2, activation: 'softmax' })], { backend: 'js', seed: 1 });
  const text = summaryText(model);
  assert.is(model.layers[0]!.name, 'batch_counter');
  assert.ok(text.includes('Total params: 11 '), text);
  assert.ok(text.includes('Trainable params: 10 '), text);
  assert.ok(text.includes('Non-trainable params: 1 '), text);
  // AdamW decays every parameter it reaches: the state must not be among them.
  model.compile({ optimizer: optimizers.adamw({ learningRate: 0.1, weightDecay: 0.5 }), loss: 'categoricalCrossentropy' });
  const rand = mulberry32(2);
  await model.fit(tensor(randomArray(rand, 20), [5, 4]), oneHot([0, 1, 0, 1, 1], 2), { batchSize: 1, epochs: 2, ...quiet });
  const weights = byName(model.getWeights());
  assert.equal([...weights.get('batch_counter/seen_batches')!], [10]);
  assert.equal(
    model.getOptimizerWeights().map((w) => w.name),
    ['dense/kernel/m', 'dense/kernel/v', 'dense/bias/m', 'dense/bias/v'],
  );
  const saved = await saveToMemory(model);
  const specs = saved.modelJson.weightsManifest[0]!.weights.map((w) => w.name);
  assert.equal(specs, ['batch_counter/seen_batches', 'dense/kernel', 'dense/bias']);
  const back = await loadModel(saved, { backend: 'js' });
  assert.equal([...byName(back.getWeights()).get('batch_counter/seen_batches')!], [10]);
  assert.is(back.layers[0]!.className, 'BatchCounter');
  assert.is(back.layers[0]!.name, 'batch_counter');
});

test('a frozen layer keeps its weights bit for bit and its optimizer slots; the others still learn', async () => {
  const model = smallCnn();
  model.compile({ optimizer: optimizers.adam({ learningRate: 0.01 }), loss: 'categoricalCrossentropy' });
  const { x, y } = data(12);
  await model.fit(x, y, { batchSize: 4, epochs: 1, ...quiet });
  model.layers[2]!.trainable = false; // the hidden Dense, between two learning layers
  const before = byName(model.getWeights());
  const slotsBefore = byName(model.getOptimizerWeights());
  await model.fit(x, y, { batchSize: 4, epochs: 2, ...quiet });
  const after = byName(model.getWeights());
  const slotsAfter = byName(model.getOptimizerWeights());
  for (const name of ['dense/kernel', 'dense/bias']) {
    assert.equal(after.get(name), before.get(name), `${name} changed while frozen`);
    for (const slot of ['m', 'v']) assert.equal(slotsAfter.get(`${name}/${slot}`), slotsBefore.get(`${name}/${slot}`), `${name}/${slot} advanced while frozen`);
  }
  // The conv below the frozen layer still learns: the frozen layer passed the gradient on.
  for (const name of ['conv2d/kernel', 'dense_1/kernel']) assert.not.equal(after.get(name), before.get(name), `${name} did not learn`);
  const text = summaryText(model);
  assert.ok(text.includes('Trainable params: 67 '), text);
  assert.ok(text.includes('Non-trainable params: 520 '), text);
  // Unfrozen, it learns again.
  model.layers[2]!.trainable = true;
  await model.fit(x, y, { batchSize: 4, epochs: 1, ...quiet });
  assert.not.equal(byName(model.getWeights()).get('dense/kernel'), after.get('dense/kernel'));
});

test('frozen bottom layers: no gradient work below the lowest layer that learns', async () => {
  const backend = new JsBackend();
  const calls = { filter: 0, input: 0 };
  const filter = backend.conv2dBackwardFilter.bind(backend);
  const input = backend.conv2dBackwardInput.bind(backend);
  backend.conv2dBackwardFilter = (...a) => (calls.filter++, filter(...a));
  backend.conv2dBackwardInput = (...a) => (calls.input++, input(...a));
  const model = smallCnn(backend);
  model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
  const { x, y } = data(8);
  model.layers[0]!.trainable = false;
  await model.build();
  const conv = byName(model.getWeights()).get('conv2d/kernel');
  await model.fit(x, y, { batchSize: 4, ...quiet });
  assert.equal(calls, { filter: 0, input: 0 });
  assert.equal(byName(model.getWeights()).get('conv2d/kernel'), conv);
  model.layers[0]!.trainable = true;
  await model.fit(x, y, { batchSize: 4, ...quiet });
  // Now it learns, and as the lowest layer it still needs no input gradient.
  assert.equal(calls, { filter: 2, input: 0 });
});

test('the optimizer steps each contiguous run of trainable parameters with one kernel call', async () => {
  const backend = new JsBackend();
  const sizes: number[] = [];
  const adamUpdate = backend.adamUpdate.bind(backend);
  backend.adamUpdate = (p, g, m, v, n, ...rest) => (sizes.push(n), adamUpdate(p, g, m, v, n, ...rest));
  const model = smallCnn(backend); // conv 40 params, dense 520, dense_1 27
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
  const { x, y } = data(8);
  const stepSizes = async (): Promise<number[]> => {
    sizes.length = 0;
    await model.fit(x, y, { batchSize: 8, ...quiet }); // one step
    return [...sizes];
  };
  assert.equal(await stepSizes(), [587], 'nothing frozen: the whole model is one run');
  model.layers[2]!.trainable = false;
  assert.equal(await stepSizes(), [40, 27], 'a frozen middle layer splits the run in two');
  model.layers[0]!.trainable = false;
  assert.equal(await stepSizes(), [27], 'frozen bottom layers: one run above them');
  model.layers[0]!.trainable = true;
  model.layers[2]!.trainable = true;
  assert.equal(await stepSizes(), [587], 'unfrozen: one run again');
});

test('trainable is saved in the TF.js config, read back, and understood by TF.js', async () => {
  const model = smallCnn();
  model.layers[0]!.trainable = false;
  await model.build();
  const saved = await saveToMemory(model);
  const back = await loadModel(saved, { backend: 'js' });
  assert.equal(back.layers.map((l) => l.trainable), [false, true, true, true]);
  await tf.setBackend('cpu');
  const tfModel = await tf.loadLayersModel(
    tf.io.fromMemory(saved.modelJson.modelTopology, saved.modelJson.weightsManifest[0]!.weights as tf.io.WeightsManifestEntry[], saved.weightData.slice().buffer),
  );
  assert.equal(tfModel.layers.map((l) => l.trainable), [false, true, true, true]);
  tfModel.dispose();
});

test('optimizer slots are planned from the optimizer: 0 for SGD, 1 for momentum, 2 for Adam, across recompiles', async () => {
  const model = smallCnn();
  const { x, y } = data(8);
  model.compile({ optimizer: optimizers.sgd({ learningRate: 0.1 }), loss: 'categoricalCrossentropy' });
  await model.fit(x, y, { batchSize: 8, ...quiet });
  assert.equal(model.getOptimizerWeights(), []);
  model.compile({ optimizer: optimizers.sgd({ learningRate: 0.1, momentum: 0.9 }), loss: 'categoricalCrossentropy' });
  const names = model.getOptimizerWeights().map((w) => w.name);
  assert.equal(names, ['conv2d/kernel/momentum', 'conv2d/bias/momentum', 'dense/kernel/momentum', 'dense/bias/momentum', 'dense_1/kernel/momentum', 'dense_1/bias/momentum']);
  assert.ok(model.getOptimizerWeights().every((w) => w.data.every((v) => v === 0)), 'fresh slots are zero');
  const before = model.getWeights();
  await model.fit(x, y, { batchSize: 8, shuffle: false, ...quiet });
  // One Keras momentum step from v = 0: v = −lr·g and p += v, so the slot is the step taken.
  const after = model.getWeights();
  const velocity = byName(model.getOptimizerWeights());
  for (const [i, w] of after.entries()) {
    const v = velocity.get(`${w.name}/momentum`)!;
    const step = w.data.map((p, k) => p - before[i]!.data[k]!);
    const worst = Math.max(...step.map((s, k) => Math.abs(s - v[k]!)));
    assert.ok(worst <= 1e-6, `${w.name}: slot and step differ by ${worst}`);
  }
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
  assert.is(model.getOptimizerWeights().length, 12);
  await model.fit(x, y, { batchSize: 8, ...quiet });
  assert.ok(model.getOptimizerWeights().some((w) => w.data.some((v) => v !== 0)), 'Adam moments moved');
});

test('a batch plan that cannot be reserved leaves the model working (wasm)', async () => {
  const model = new Sequential([layers.dense({ units: 100_000, inputShape: [1] }), layers.dense({ units: 2 })], { backend: 'wasm', threads: 1 });
  const one = tensor([0.5], [1, 1]);
  const expected = await model.predict(one);
  // 20,000 rows × 100,000 outputs is more than a wasm32 memory holds.
  await rejects(() => model.predict(tensor(new Float32Array(20_000), [20_000, 1]), { batchSize: 20_000 }), /reserve/);
  assert.equal(await model.predict(one), expected);
  model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  await model.fit(tensor([0.1, 0.2], [2, 1]), tensor([0, 1, 1, 0], [2, 2]), quiet);
  model.dispose();
});

test('concurrent first calls share one build; a second fit while one runs is refused', async () => {
  const a = smallCnn('wasm');
  const b = smallCnn('wasm');
  const { x, y } = data(8);
  const [pa, pb] = await Promise.all([a.predict(x), a.predict(x)]);
  assert.equal(pa, pb);
  assert.equal(await b.predict(x), pa, 'same seed, same weights');
  a.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
  const results = await Promise.allSettled([a.fit(x, y, quiet), a.fit(x, y, quiet)]);
  assert.is(results[0]!.status, 'fulfilled');
  assert.is(results[1]!.status, 'rejected');
  assert.match(String((results[1] as PromiseRejectedResult).reason), /already training/);
  // compile from a callback is refused (the running loop holds the optimizer and its slots).
  await rejects(() => a.fit(x, y, { ...quiet, callbacks: { onBatchEnd: () => a.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' }) } }), /compile: the model is training/);
  // predict from a callback between steps works and does not disturb training.
  let seen = 0;
  await a.fit(x, y, { batchSize: 2, ...quiet, callbacks: { onBatchEnd: async () => void (seen += (await a.predict(x, { batchSize: 8 })).shape[0]!) } });
  assert.is(seen, 32);
  a.dispose();
  b.dispose();
});

test('a disposed model refuses every call instead of re-initialising', async () => {
  const model = smallCnn();
  const { x, y } = data(2);
  await model.predict(x);
  model.dispose();
  await rejects(() => model.predict(x), /disposed/);
  assert.throws(() => model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' }), /disposed/);
  await rejects(() => model.fit(x, y, quiet), /disposed/);
  assert.throws(() => model.getWeights(), /disposed/);
});

test('predict names the sample holding NaN or Infinity', async () => {
  const model = smallCnn();
  const x = new Float32Array(3 * 36);
  x[36 + 5] = NaN;
  await rejects(() => model.predict(tensor(x, [3, 6, 6, 1])), /predict: x holds NaN at sample 1/);
  x[36 + 5] = 0;
  x[2 * 36] = -Infinity;
  await rejects(() => model.predict(tensor(x, [3, 6, 6, 1])), /x holds -Infinity at sample 2/);
});

test('loading checks shapes and size before allocating, and unknown or prototype class names are named', async () => {
  const model = smallCnn();
  await model.build();
  const saved = await saveToMemory(model);
  type LayerEntry = { class_name: string; config: Record<string, unknown> };
  const edited = (edit: (layers: LayerEntry[]) => void): { modelJson: unknown; weightData: Uint8Array } => {
    const modelJson = structuredClone(saved.modelJson) as ModelJson & { modelTopology: { config: { layers: LayerEntry[] } } };
    edit(modelJson.modelTopology.config.layers);
    return { modelJson, weightData: saved.weightData };
  };
  // A Dense edited to a million units disagrees with its weights: named before 64 M values are allocated.
  await rejects(() => loadModel(edited((ls) => (ls[2]!.config['units'] = 1_000_000)), { backend: 'js' }), /loadModel: weight 'dense\/kernel' has shape \[64, 8\] but the layer needs \[64, 1000000\]/);
  // Ten million units could never be allocated at all: named from the shapes alone.
  await rejects(() => loadModel(edited((ls) => (ls[2]!.config['units'] = 10_000_000)), { backend: 'js' }), /more than the 268,435,456 wasmnn can hold.*'dense'/);
  for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
    await rejects(() => loadModel(edited((ls) => (ls[1]!.class_name = name)), { backend: 'js' }), new RegExp(`unsupported layer class '${name}'`));
  }
});

test('training resumed from a save with its optimizer state reaches the same weights, bit for bit', async () => {
  for (const backend of ['js', 'wasm'] as const) {
    const make = (): Sequential => {
      const model = new Sequential(
        [
          layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', inputShape: [6, 6, 1] }),
          layers.flatten(),
          layers.dropout({ rate: 0.3 }),
          layers.dense({ units: 3, activation: 'softmax' }),
        ],
        { backend, seed: 9, threads: 1 },
      );
      model.compile({ optimizer: optimizers.adam({ learningRate: 0.02 }), loss: 'categoricalCrossentropy' });
      return model;
    };
    const { x, y } = data(40, 4);
    const straight = make();
    await straight.fit(x, y, { batchSize: 8, epochs: 3, ...quiet });
    const first = make();
    let saved: ModelArtifacts | undefined;
    await first.fit(x, y, { batchSize: 8, epochs: 1, checkpoint: (a) => void (saved = a), ...quiet });
    assert.is(first.epochsCompleted, 1);
    const manifest = saved!.modelJson.weightsManifest[0]!.weights;
    assert.ok(manifest.some((w) => w.name === 'dense/kernel/m' && w.group === 'optimizer'), 'optimizer slots saved in the optimizer group');
    const resumed = await loadModel(saved as { modelJson: unknown; weightData: Uint8Array }, { backend, seed: 123 });
    assert.is(resumed.epochsCompleted, 1);
    const history = await resumed.fit(x, y, { batchSize: 8, epochs: 3, initialEpoch: resumed.epochsCompleted, ...quiet });
    assert.equal(history.epoch, [1, 2]);
    assert.equal(byName(resumed.getWeights()), byName(straight.getWeights()), `${backend}: resumed weights differ`);
    assert.equal(byName(resumed.getOptimizerWeights()), byName(straight.getOptimizerWeights()), `${backend}: resumed optimizer state differs`);
    for (const m of [straight, first, resumed]) m.dispose();
  }
});

test('includeOptimizer refuses what it could not restore, and bad fit epochs are named', async () => {
  const model = smallCnn();
  await model.build();
  await rejects(() => model.save(() => undefined, { includeOptimizer: true }), /call model.compile/);
  model.compile({ optimizer: optimizers.adamw(), loss: 'categoricalCrossentropy' });
  await rejects(() => model.save(() => undefined, { includeOptimizer: true }), /AdamW .* has no TF\.js form/);
  const { x, y } = data(4);
  await rejects(() => model.fit(x, y, { epochs: 2, initialEpoch: 2, ...quiet }), /initialEpoch must be an integer in \[0, epochs\)/);
});

test('Keras-style seeds: unseeded models differ, and setSeed makes the sequence repeat', async () => {
  const unseeded = (): Sequential => new Sequential([layers.dense({ units: 4, inputShape: [3] })], { backend: 'js' });
  const weightsOf = async (m: Sequential): Promise<number[]> => {
    await m.build();
    return [...m.getWeights()[0]!.data];
  };
  setSeed(7);
  const [a, b] = [await weightsOf(unseeded()), await weightsOf(unseeded())];
  assert.not.equal(a, b, 'two models built without a seed got the same weights');
  setSeed(7);
  assert.equal([await weightsOf(unseeded()), await weightsOf(unseeded())], [a, b]);
  setSeed(42);
  const first = await weightsOf(unseeded());
  assert.equal(first, await weightsOf(new Sequential([layers.dense({ units: 4, inputShape: [3] })], { backend: 'js', seed: 42 })), 'the first model of a sequence gets the seed itself');
  assert.throws(() => setSeed(1.5), /integer/);
  setSeed(42); // as a fresh process has it, for the test files after this one
});

test('metrics mae and mse (and accuracy) in fit and evaluate logs, val_ prefixed, saved and read back', async () => {
  const model = new Sequential([layers.dense({ units: 2, inputShape: [3] })], { backend: 'js', seed: 2 });
  model.compile({ optimizer: 'sgd', loss: 'meanSquaredError', metrics: ['mae', 'mse', 'acc'] });
  const rand = mulberry32(5);
  const x = tensor(randomArray(rand, 18), [6, 3]);
  const y = tensor(randomArray(rand, 12), [6, 2]);
  const history = await model.fit(x, y, { batchSize: 6, epochs: 1, shuffle: false, validationData: [x, y], ...quiet });
  assert.equal(Object.keys(history.history).sort(), ['accuracy', 'loss', 'mae', 'mse', 'val_accuracy', 'val_loss', 'val_mae', 'val_mse']);
  const result = await model.evaluate(x, y, { batchSize: 4 });
  const p = (await model.predict(x)).data;
  let abs = 0;
  let sq = 0;
  for (let i = 0; i < p.length; i++) {
    abs += Math.abs(p[i]! - y.data[i]!);
    sq += (p[i]! - y.data[i]!) ** 2;
  }
  assert.ok(Math.abs(result.mae! - abs / p.length) < 1e-6, `mae ${result.mae} vs ${abs / p.length}`);
  assert.ok(Math.abs(result.mse! - sq / p.length) < 1e-6, `mse ${result.mse} vs ${sq / p.length}`);
  assert.ok(Math.abs(result.mse! - result.loss) < 1e-6, 'mse equals the MSE loss');
  const saved = await saveToMemory(model);
  const back = await loadModel(saved, { backend: 'js' });
  assert.equal(Object.keys(await back.evaluate(x, y)).sort(), ['accuracy', 'loss', 'mae', 'mse']);
  assert.throws(() => model.compile({ optimizer: 'sgd', loss: 'meanSquaredError', metrics: ['auc' as never] }), /unsupported metric 'auc'; supported: accuracy, acc, mae/);
});

test.run();
