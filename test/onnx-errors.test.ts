/**
 * What the ONNX exporter refuses, each with an error naming the layer and the problem: layers and
 * options it has no converter for, weights that do not fit the topology, topologies that are not
 * a Sequential model with a known input shape.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFile } from 'node:fs/promises';
import { decodeWeights, type NamedWeight } from '../src/index.node.js';
import { toOnnx } from '../src/model/onnx/index.js';

type LayerJson = { class_name: string; config: Record<string, unknown> };
type Topology = { class_name: string; config: { name: string; layers: LayerJson[] } };

let topology: Topology;
let weights: NamedWeight[];

test.before(async () => {
  const dir = new URL('../pretrained/compact/', import.meta.url);
  const modelJson = JSON.parse(await readFile(new URL('model.json', dir), 'utf8')) as { modelTopology: Topology };
  topology = modelJson.modelTopology;
  weights = decodeWeights(modelJson, [await readFile(new URL('group1-shard1of1.bin', dir))]);
});

/** The pretrained topology with `edit` applied to a deep copy. */
function edited(edit: (layers: LayerJson[]) => void): Topology {
  const copy = structuredClone(topology);
  edit(copy.config.layers);
  return copy;
}

function expectExportError(source: { modelTopology: object; weights: NamedWeight[] }, pattern: RegExp): void {
  assert.throws(() => toOnnx(source), (err: Error) => pattern.test(err.message) || assert.unreachable(`message was: ${err.message}`));
}

test('the unmodified pretrained artifacts export (the base the other cases edit)', () => {
  assert.ok(toOnnx({ modelTopology: topology, weights }).byteLength > 4 * weights.reduce((n, w) => n + w.data.length, 0));
});

test('a layer class without a converter is named, with the supported list', () => {
  const t = edited((layers) => layers.splice(4, 0, { class_name: 'LSTM', config: { name: 'lstm', units: 4 } }));
  expectExportError({ modelTopology: t, weights }, /layer 'lstm' \(LSTM\) is not supported by the ONNX exporter; supported: .*Conv2D/);
});

test('unsupported options name the layer and the option', () => {
  const cases: [(layers: LayerJson[]) => void, RegExp][] = [
    [(l) => (l[0]!.config['data_format'] = 'channels_first'), /layer 'conv2d' \(Conv2D\): data_format "channels_first"/],
    [(l) => (l[0]!.config['padding'] = 'causal'), /layer 'conv2d' \(Conv2D\): padding "causal"/],
    [(l) => (l[5]!.config['activation'] = 'hard_swish'), /layer 'dense' \(Dense\): activation "hard_swish" is not supported/],
    [(l) => (l[1]!.config['pool_size'] = [2, 0]), /layer 'max_pooling2d' \(MaxPooling2D\): config.pool_size must be a positive integer or a pair/],
    [(l) => (l[0]!.config['kernel_size'] = [40, 5]), /layer 'conv2d' \(Conv2D\): window 40×5 .* larger than its input 28×28/],
  ];
  for (const [edit, pattern] of cases) expectExportError({ modelTopology: edited(edit), weights }, pattern);
});

test('an activation the exporter does not know is an error, on every layer that takes one; prototype names are not activations', () => {
  for (const activation of ['hard_swish', 'toString', '__proto__', 'constructor', 42, { class_name: 'relu' }]) {
    const dense = edited((l) => (l[5]!.config['activation'] = activation));
    expectExportError({ modelTopology: dense, weights }, /layer 'dense' \(Dense\): activation .* is not supported by the ONNX exporter/);
    const conv = edited((l) => (l[0]!.config['activation'] = activation));
    expectExportError({ modelTopology: conv, weights }, /layer 'conv2d' \(Conv2D\): activation .* is not supported/);
    const layer = edited((l) => l.splice(1, 0, { class_name: 'Activation', config: { name: 'act', activation } }));
    expectExportError({ modelTopology: layer, weights }, /layer 'act' \(Activation\): activation .* is not supported/);
  }
});

test('weights must fit the topology: missing, wrongly shaped, left over', () => {
  expectExportError({ modelTopology: topology, weights: weights.filter((w) => w.name !== 'dense/bias') }, /layer 'dense' \(Dense\) needs the weight 'dense\/bias' \[256\]/);
  const reshaped = weights.map((w) => (w.name === 'conv2d_1/kernel' ? { ...w, shape: [5, 5, 16, 8] } : w));
  expectExportError({ modelTopology: topology, weights: reshaped }, /weight conv2d_1\/kernel has shape \[5, 5, 16, 8\], but layer 'conv2d_1' \(Conv2D\) needs \[5, 5, 8, 16\]/);
  const extra = [...weights, { name: 'stray/kernel', shape: [1], data: new Float32Array(1) }];
  expectExportError({ modelTopology: topology, weights: extra }, /weights stray\/kernel belong to no exported layer/);
});

test('only Sequential models with a declared input shape', () => {
  expectExportError({ modelTopology: { ...topology, class_name: 'Model' }, weights }, /only Sequential models can be exported; modelTopology.class_name is "Model"/);
  const noShape = edited((l) => delete l[0]!.config['batch_input_shape']);
  expectExportError({ modelTopology: noShape, weights }, /declares no input shape/);
});

test.run();
