// RandomRotation, RandomTranslation, RandomZoom, RandomFlip and RandomContrast (and wasmnn's own
// RandomAffine and RandomElastic): identity outside
// training; while training, Keras' geometry (checked on maps whose result is known exactly);
// the same seed gives the same augmented batches on the JS and WASM backends; save → load; the
// placement rule; bad options. TF.js loading them is in tfjs-preprocessing.test.ts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Backend } from '../src/kernels/backend.js';
import { createBackend } from '../src/kernels/index.js';
import type { Layer, StepContext } from '../src/layers/layer.js';
import { MemoryPlan } from '../src/memory-plan.js';
import { Random } from '../src/random.js';
import { layers, loadModel, oneHot, optimizers, RandomContrast, RandomFlip, RandomRotation, RandomTranslation, RandomZoom, Sequential, tensor, type Tensor } from '../src/index.js';
import { shapeSize, type Shape } from '../src/tensor.js';
import { mulberry32, randomArray } from './helpers/random.js';
import { saveToMemory } from './helpers/save-memory.js';
import { maxAbsDiff } from './helpers/max-abs-diff.js';
import { rejects } from './helpers/rejects.js';

/**
 * Runs built-on-the-spot layers forward in training mode on a backend, drawing step seeds from
 * Random(seed) as the model's passes do; returns every layer's output.
 */
async function augment(backendName: 'js' | 'wasm', make: () => Layer[], x: Tensor, seed: number, training = true): Promise<Float32Array[]> {
  const b: Backend = await createBackend(backendName, { threads: 1 });
  const stack = make();
  let shape: Shape = x.shape.slice(1);
  for (const l of stack) {
    l.build(shape);
    shape = l.outputShape;
  }
  const batch = x.shape[0]!;
  const memory = new MemoryPlan(b.base);
  const input = memory.alloc(x.data.length);
  for (const l of stack) l.plan(memory, batch);
  b.reserve(memory.end);
  b.f32().set(x.data, input);
  const rng = new Random(seed);
  const ctx: StepContext = { backend: b, scratch: -1, training, nextSeed: () => rng.nextUint32() | 0 };
  const outs: Float32Array[] = [];
  let at = input;
  for (const l of stack) {
    at = l.forward(ctx, at, batch);
    outs.push(b.f32().slice(at, at + batch * shapeSize(l.outputShape)));
  }
  b.dispose();
  return outs;
}

const rand = mulberry32(5);
const images = tensor(randomArray(rand, 6 * 9 * 9 * 2, 0, 1), [6, 9, 9, 2]);

function allFive(): Layer[] {
  return [
    layers.randomFlip({ mode: 'horizontal' }),
    layers.randomRotation({ factor: 0.1, fillMode: 'constant', fillValue: 0.5 }),
    layers.randomTranslation({ heightFactor: 0.2, widthFactor: [-0.1, 0.3], fillMode: 'wrap' }),
    layers.randomZoom({ heightFactor: [-0.3, 0.2], widthFactor: 0.1, fillMode: 'nearest' }),
    layers.randomContrast({ factor: 0.4, valueRange: [0, 1] }),
  ];
}

test('identity outside training: predict and evaluate see the images unchanged', async () => {
  const model = new Sequential([layers.randomRotation({ factor: 0.2, inputShape: [9, 9, 2] }), ...allFive(), layers.flatten()], { backend: 'wasm', threads: 1 });
  assert.equal(Array.from((await model.predict(images)).data), Array.from(images.data));
  const [outputs] = [await augment('wasm', allFive, images, 1, false)];
  for (const out of outputs) assert.equal(Array.from(out), Array.from(images.data));
});

test('while training every layer changes the images, each image differently', async () => {
  const outputs = await augment('wasm', allFive, images, 3);
  const one = 9 * 9 * 2;
  let input = images.data;
  for (const [i, out] of outputs.entries()) {
    const changed = Array.from({ length: 6 }, (_, b) => maxAbsDiff(out.subarray(b * one, (b + 1) * one), input.subarray(b * one, (b + 1) * one)) > 1e-3);
    // A horizontal flip happens to about half the images; the others change every image.
    assert.ok(i === 0 ? changed.some(Boolean) && !changed.every(Boolean) : changed.every(Boolean), `layer ${i}: changed ${changed}`);
    input = out;
  }
});

test('the same seed gives the same augmented batches on the JS and WASM backends; another seed does not', async () => {
  const js = await augment('js', allFive, images, 42);
  const wasm = await augment('wasm', allFive, images, 42);
  for (const [i, out] of js.entries()) {
    const d = maxAbsDiff(out, wasm[i]!);
    assert.ok(d <= 1e-5, `layer ${i}: backends differ by ${d}`);
  }
  const other = await augment('wasm', allFive, images, 43);
  assert.ok(maxAbsDiff(other[4]!, wasm[4]!) > 0.01);
});

// An image whose value is its column index (channel 0) and row index (channel 1): a map's result is known in closed form.
const [H, W] = [5, 5];
const grid = tensor(Float32Array.from({ length: H * W * 2 }, (_, i) => (i % 2 === 0 ? Math.floor(i / 2) % W : Math.floor(i / 2 / W))), [1, H, W, 2]);

function pixel(out: Float32Array, y: number, x: number): [number, number] {
  return [out[(y * W + x) * 2]!, out[(y * W + x) * 2 + 1]!];
}

test('RandomRotation by a quarter turn is Keras\' counter-clockwise 90° rotation about the centre', async () => {
  const [out] = await augment('wasm', () => [layers.randomRotation({ factor: [0.25, 0.25] })], grid, 1);
  // Counter-clockwise: the output pixel (x, y) shows the input pixel (W−1−y, x).
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    const [cx, cy] = pixel(out!, y, x);
    assert.ok(Math.abs(cx - (W - 1 - y)) < 1e-5 && Math.abs(cy - x) < 1e-5, `(${x}, ${y}) shows (${cx}, ${cy})`);
  }
});

test('RandomTranslation shifts by the fraction of the size (negative height factor: up), filling as asked', async () => {
  const [out] = await augment('js', () => [layers.randomTranslation({ heightFactor: [-0.2, -0.2], widthFactor: [0.4, 0.4], fillMode: 'constant', fillValue: -1 })], grid, 1);
  // Up by 1 row, right by 2 columns: the output (x, y) shows the input (x − 2, y + 1).
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    const inside = x - 2 >= 0 && y + 1 < H;
    assert.equal(pixel(out!, y, x), inside ? [x - 2, y + 1] : [-1, -1], `(${x}, ${y})`);
  }
});

test('RandomZoom: a negative factor zooms in about the centre; without widthFactor both axes share the draw', async () => {
  const [out] = await augment('js', () => [layers.randomZoom({ heightFactor: [-0.5, -0.5] })], grid, 1);
  // Zoom 0.5: the output (x, y) samples the input at (0.5·(x − 2) + 2, 0.5·(y − 2) + 2).
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    const [cx, cy] = pixel(out!, y, x);
    assert.ok(Math.abs(cx - (0.5 * (x - 2) + 2)) < 1e-6 && Math.abs(cy - (0.5 * (y - 2) + 2)) < 1e-6, `(${x}, ${y}) shows (${cx}, ${cy})`);
  }
});

test('RandomFlip mirrors exactly; vertical mode only flips rows', async () => {
  const many = tensor(Float32Array.from(Array.from({ length: 8 }, () => Array.from(grid.data)).flat()), [8, H, W, 2]);
  const [out] = await augment('wasm', () => [layers.randomFlip({ mode: 'vertical' })], many, 9);
  let flipped = 0;
  for (let b = 0; b < 8; b++) {
    const img = out!.subarray(b * H * W * 2, (b + 1) * H * W * 2);
    const isFlipped = pixel(img, 0, 0)[1] === H - 1;
    flipped += isFlipped ? 1 : 0;
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) assert.equal(pixel(img, y, x), [x, isFlipped ? H - 1 - y : y]);
  }
  assert.ok(flipped > 0 && flipped < 8, `${flipped} of 8 flipped`);
});

test('RandomContrast scales each channel about its mean by one factor per image, then clips', async () => {
  const [out] = await augment('js', () => [layers.randomContrast({ factor: [0.9, 0.9], valueRange: [0, 0.7] })], images, 4);
  const one = 9 * 9 * 2;
  const factors = new Set<string>();
  for (let b = 0; b < 6; b++) {
    for (let ch = 0; ch < 2; ch++) {
      const xs = Array.from({ length: 81 }, (_, p) => images.data[b * one + p * 2 + ch]!);
      const ys = Array.from({ length: 81 }, (_, p) => out![b * one + p * 2 + ch]!);
      const mean = xs.reduce((a, v) => a + v, 0) / 81;
      // Recover the factor from the pixel farthest from the mean that was not clipped.
      const p = xs.map((v, i) => [Math.abs(v - mean), i] as const).filter(([, i]) => ys[i]! > 1e-6 && ys[i]! < 0.7 - 1e-6).sort((a, c) => c[0] - a[0])[0]![1];
      const k = (ys[p]! - mean) / (xs[p]! - mean);
      assert.ok(k >= 0.1 - 1e-4 && k <= 1.9 + 1e-4, `factor ${k}`);
      factors.add(`${b}:${k.toFixed(3)}`);
      for (let i = 0; i < 81; i++) assert.ok(Math.abs(ys[i]! - Math.min(Math.max((xs[i]! - mean) * k + mean, 0), 0.7)) < 1e-4, `image ${b} channel ${ch} pixel ${i}: ${ys[i]} is not the clipped (x − mean)·${k} + mean`);
    }
  }
  assert.is(new Set([...factors].map((s) => s.split(':')[1])).size, 6, 'one factor per image, six different ones');
});

test('save → load keeps every option; the loaded model augments the same way', async () => {
  const model = new Sequential(
    [
      layers.randomFlip({ mode: 'horizontal_and_vertical', seed: 3, inputShape: [9, 9, 2] }),
      layers.randomRotation({ factor: [-0.1, 0.2], fillMode: 'constant', fillValue: 0.25 }),
      layers.randomTranslation({ heightFactor: 0.1, widthFactor: [0, 0.2], fillMode: 'wrap', seed: 11 }),
      layers.randomZoom({ heightFactor: 0.2, fillMode: 'nearest' }),
      layers.randomContrast({ factor: [0.1, 0.3], valueRange: [0, 1] }),
      layers.flatten(),
      layers.dense({ units: 3, activation: 'softmax' }),
    ],
    { backend: 'wasm', seed: 8, threads: 1 },
  );
  await model.build();
  const saved = await saveToMemory(model);
  const configs = (saved.modelJson.modelTopology as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } }).config.layers;
  assert.equal(configs.slice(0, 5).map((l) => l.class_name), ['RandomFlip', 'RandomRotation', 'RandomTranslation', 'RandomZoom', 'RandomContrast']);
  assert.equal(configs[1]!.config, { ...configs[1]!.config, factor: [-0.1, 0.2], fill_mode: 'constant', fill_value: 0.25, interpolation: 'bilinear', seed: null });
  assert.equal(configs[3]!.config['width_factor'], null);
  const loaded = await loadModel(saved, { backend: 'wasm', seed: 8 });
  for (let i = 0; i < 5; i++) assert.equal(loaded.layers[i]!.getConfig(), model.layers[i]!.getConfig(), `layer ${i}`);
  const y = oneHot([0, 1, 2, 0, 1, 2], 3);
  for (const m of [model, loaded]) m.compile({ optimizer: optimizers.sgd({ learningRate: 0.1 }), loss: 'categoricalCrossentropy' });
  await model.fit(images, y, { batchSize: 3, epochs: 1, shuffle: false, verbose: 0 });
  await loaded.fit(images, y, { batchSize: 3, epochs: 1, shuffle: false, verbose: 0 });
  assert.ok(maxAbsDiff(model.getWeights()[0]!.data, loaded.getWeights()[0]!.data) < 1e-6, 'the same seed trains the same');
});

/** The 3x3 affine matrix of the inverse map a one-sample draw of `layer` writes (ranges pinned, so u() does not matter). */
function drawnMap(layer: Layer, size: number): number[] {
  layer.build([size, size, 1]);
  const f = new Float32Array(6);
  (layer as unknown as { draw(f: Float32Array, out: number, batch: number, u: (i: number) => number): void }).draw(f, 0, 1, () => 0.5);
  return [f[0]!, f[1]!, f[2]!, f[3]!, f[4]!, f[5]!, 0, 0, 1];
}

function matmul3(a: number[], b: number[]): number[] {
  return Array.from({ length: 9 }, (_, i) => a[Math.floor(i / 3) * 3]! * b[i % 3]! + a[Math.floor(i / 3) * 3 + 1]! * b[3 + (i % 3)]! + a[Math.floor(i / 3) * 3 + 2]! * b[6 + (i % 3)]!);
}

test('RandomAffine is one resampling by the composed map of RandomRotation, RandomTranslation and RandomZoom stacked in that order', () => {
  for (const [turn, shift, zoom, size] of [[0.1, 0.2, -0.3, 9], [-0.03, -0.1, 0.15, 28], [0.25, 0, 0, 5]] as const) {
    const affine = drawnMap(layers.randomAffine({ rotation: [turn, turn], translation: [shift, shift], zoom: [zoom, zoom] }), size);
    // Stacked layers: out(p) = x(R·T·Z·p), each layer reading its input through its own map.
    const stacked = matmul3(
      matmul3(drawnMap(layers.randomRotation({ factor: [turn, turn] }), size), drawnMap(layers.randomTranslation({ heightFactor: [shift, shift], widthFactor: [shift, shift] }), size)),
      drawnMap(layers.randomZoom({ heightFactor: [zoom, zoom] }), size),
    );
    assert.ok(maxAbsDiff(Float32Array.from(affine), Float32Array.from(stacked)) < 1e-5, `turn ${turn}, shift ${shift}, zoom ${zoom}: ${affine} vs ${stacked}`);
  }
});

test('RandomAffine: identity outside training, the same batches on both backends, options saved and loaded, bad options named', async () => {
  const make = (): Layer[] => [layers.randomAffine({ rotation: 0.05, translation: 0.1, zoom: [-0.2, 0.1], fillMode: 'constant' })];
  const [still] = await augment('wasm', make, images, 42, false);
  assert.equal(still, images.data, 'identity outside training');
  const [js] = await augment('js', make, images, 42);
  const [wasm] = await augment('wasm', make, images, 42);
  assert.ok(maxAbsDiff(js!, wasm!) <= 1e-5, 'backends differ');
  assert.ok(maxAbsDiff(wasm!, images.data) > 0.05, 'training changes the images');
  const model = new Sequential([layers.randomAffine({ rotation: [-0.1, 0.2], zoom: 0.1, fillMode: 'nearest', inputShape: [9, 9, 2] }), layers.flatten(), layers.dense({ units: 2 })]);
  await model.build();
  const saved = await saveToMemory(model);
  const config = (saved.modelJson.modelTopology as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } }).config.layers[0]!;
  assert.is(config.class_name, 'RandomAffine');
  assert.equal(config.config, { ...config.config, rotation: [-0.1, 0.2], translation: 0, zoom: 0.1, fill_mode: 'nearest' });
  const loaded = await loadModel(saved);
  assert.equal(loaded.layers[0]!.getConfig(), model.layers[0]!.getConfig());
  assert.throws(() => layers.randomAffine({ translation: 1.5 }), /RandomAffine: translation must lie within \[-1, 1\]/);
  assert.throws(() => layers.randomAffine({ zoom: [-1, 0] }), /RandomAffine: zoom must stay above -1/);
  assert.throws(() => layers.randomAffine({ rotation: [0.2, 0.1] }), /RandomAffine: rotation \[0.2, 0.1\] has its upper bound below its lower bound/);
  model.dispose();
  loaded.dispose();
});

test('RandomElastic: identity outside training and with alpha 0, the same batches on both backends, options saved and loaded, bad options named', async () => {
  const make = (alpha = 8): Layer[] => [layers.randomElastic({ alpha, sigma: 2, fillMode: 'constant' })];
  const [still] = await augment('wasm', make, images, 42, false);
  assert.equal(still, images.data, 'identity outside training');
  const [unmoved] = await augment('wasm', () => make(0), images, 42);
  assert.equal(unmoved, images.data, 'alpha 0 displaces nothing');
  const [js] = await augment('js', make, images, 42);
  const [wasm] = await augment('wasm', make, images, 42);
  assert.ok(maxAbsDiff(js!, wasm!) <= 1e-5, 'backends differ');
  assert.ok(maxAbsDiff(wasm!, images.data) > 0.05, 'training changes the images');
  const [other] = await augment('wasm', make, images, 43);
  assert.ok(maxAbsDiff(wasm!, other!) > 0.05, 'another seed, other fields');
  const model = new Sequential([layers.randomElastic({ alpha: 20, sigma: 3.5, fillMode: 'nearest', seed: 4, inputShape: [9, 9, 2] }), layers.flatten(), layers.dense({ units: 2 })]);
  await model.build();
  const saved = await saveToMemory(model);
  const config = (saved.modelJson.modelTopology as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } }).config.layers[0]!;
  assert.is(config.class_name, 'RandomElastic');
  assert.equal(config.config, { ...config.config, alpha: 20, sigma: 3.5, fill_mode: 'nearest', fill_value: 0, interpolation: 'bilinear', seed: 4 });
  const loaded = await loadModel(saved);
  assert.equal(loaded.layers[0]!.getConfig(), model.layers[0]!.getConfig());
  assert.equal(layers.randomElastic().getConfig(), { ...layers.randomElastic().getConfig(), alpha: 34, sigma: 4, fill_mode: 'reflect' });
  assert.throws(() => layers.randomElastic({ sigma: 0 }), /RandomElastic: sigma must be a number in \(0, 64\] \(pixels\), got 0/);
  assert.throws(() => layers.randomElastic({ alpha: -1 }), /RandomElastic: alpha must be a finite number ≥ 0, got -1/);
  assert.throws(() => layers.randomElastic({ name: 'warp', fillMode: 'mirror' as 'reflect' }), /RandomElastic 'warp': fillMode must be one of constant, nearest, reflect, wrap/);
  assert.throws(() => layers.randomElastic({ interpolation: 'nearest' }), /interpolation "nearest" is not supported/);
  model.dispose();
  loaded.dispose();
});

test('an augmentation layer after a layer with parameters is refused when the model builds', async () => {
  const model = new Sequential([layers.conv2d({ filters: 2, kernelSize: 3, inputShape: [9, 9, 2] }), layers.randomZoom({ heightFactor: 0.1 }), layers.flatten()]);
  await rejects(() => model.build(), /RandomZoom layer 'random_zoom' comes after Conv2D layer 'conv2d', which has parameters; .* must come before every layer with parameters/);
});

test('bad options are errors that name the layer and the option', () => {
  assert.throws(() => new RandomRotation({ factor: [0.2, -0.1] }), /RandomRotation: factor \[0.2, -0.1\] has its upper bound below its lower bound/);
  assert.throws(() => new RandomRotation({ factor: 0.1, fillMode: 'mirror' as 'reflect' }), /fillMode must be one of constant, nearest, reflect, wrap/);
  assert.throws(() => new RandomRotation({ factor: 0.1, interpolation: 'nearest' }), /interpolation "nearest" is not supported \(only 'bilinear'\)/);
  assert.throws(() => new RandomTranslation({ heightFactor: 1.5, widthFactor: 0 }), /RandomTranslation: heightFactor must lie within \[-1, 1\]/);
  assert.throws(() => new RandomZoom({ heightFactor: [-1.5, 0] }), /RandomZoom: heightFactor must not go below -1/);
  assert.throws(() => new RandomFlip({ mode: 'diagonal' as 'vertical' }), /RandomFlip: mode must be one of horizontal, vertical, horizontal_and_vertical/);
  assert.throws(() => new RandomContrast({ factor: -0.1 }), /RandomContrast: factor must be non-negative/);
  assert.throws(() => new RandomContrast({ factor: 0.1, valueRange: [1, 0] }), /valueRange must be \[low, high\] with low < high/);
  assert.throws(() => new RandomZoom({ heightFactor: 'big' as unknown as number }), /heightFactor must be a finite number or a pair/);
  assert.throws(() => new Sequential([layers.randomFlip({ inputShape: [4, 4] })]).summary(), /expects images: input of rank 3 per sample/);
});

test.run();
