// Non-trainable state as TF.js 4.22 sees it: a layer with a trainable kernel and a state array,
// defined here on both sides (wasmnn registerLayer, TF.js registerClass), goes wasmnn → TF.js and
// TF.js → wasmnn. wasmnn writes each layer's state right after its parameters (Keras' per-layer
// order); TF.js writes every trainable weight of the model first and the non-trainable ones
// after them. Both sides match weights by name, so each reads the other's order.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import type { Ptr } from '../src/kernels/kernels.js';
import type { MemoryPlan } from '../src/memory-plan.js';
import { commonArgs, numberOption } from '../src/layers/config.js';
import type { Param, StepContext } from '../src/layers/layer.js';
import { Layer, layers, loadModel, optimizers, oneHot, registerLayer, Sequential, tensor, type LayerArgs, type ModelArtifacts, type ModelJson } from '../src/index.js';
import type { Shape } from '../src/tensor.js';
import { mulberry32, randomArray } from './helpers/random.js';
import { maxAbsDiff as maxDiff } from './helpers/max-abs-diff.js';

/** y = x·W (no bias), and a count of the training batches seen kept as non-trainable state. */
class CountingLinear extends Layer {
  readonly className = 'CountingLinear';
  private x: Ptr = -1;
  private y: Ptr = -1;
  constructor(
    readonly units: number,
    args: LayerArgs = {},
  ) {
    super(args);
  }
  protected computeOutputShape(inputShape: Shape): Shape {
    return [this.units];
  }
  protected override declareParams(): Param[] {
    return [this.newParam('kernel', [this.inputShape[0]!, this.units], 'glorotUniform')];
  }
  protected override declareState() {
    return [this.newState('seen_batches', [1], 'zeros')];
  }
  override plan(memory: MemoryPlan, maxBatch: number): void {
    this.y = memory.alloc(maxBatch * this.units);
  }
  forward(ctx: StepContext, x: Ptr, batch: number): Ptr {
    if (ctx.training) ctx.backend.f32()[this.state[0]!.ptr]! += 1;
    this.x = x;
    ctx.backend.gemm(false, false, batch, this.units, this.inputShape[0]!, x, this.params[0]!.ptr, this.y, false);
    return this.y;
  }
  backward(ctx: StepContext, dy: Ptr, dx: Ptr | null, batch: number): Ptr | null {
    const kernel = this.params[0]!;
    if (this.computesParamGrads) ctx.backend.gemm(true, false, this.inputShape[0]!, this.units, batch, this.x, dy, kernel.grad, false);
    if (dx === null) return null;
    ctx.backend.gemm(false, true, batch, this.inputShape[0]!, this.units, dy, kernel.ptr, dx, false);
    return dx;
  }
  getConfig(): Record<string, unknown> {
    return { units: this.units };
  }
}
registerLayer('CountingLinear', (c, where) => new CountingLinear(numberOption(c, 'units', where), commonArgs(c)));

/** The same layer in TF.js: the kernel is trainable, seen_batches is added with trainable = false. */
class TfCountingLinear extends tf.layers.Layer {
  static readonly className = 'CountingLinear';
  private readonly units: number;
  private kernel: tf.LayerVariable | null = null;
  constructor(config: { units: number } & ConstructorParameters<typeof tf.layers.Layer>[0]) {
    super(config);
    this.units = config.units;
  }
  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const inputs = (inputShape as tf.Shape)[1]!;
    this.kernel = this.addWeight('kernel', [inputs, this.units], 'float32', tf.initializers.glorotUniform({}));
    this.addWeight('seen_batches', [1], 'float32', tf.initializers.zeros(), undefined, false);
    this.built = true;
  }
  override computeOutputShape(inputShape: tf.Shape): tf.Shape {
    return [inputShape[0]!, this.units];
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    return tf.matMul(x, this.kernel!.read());
  }
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), units: this.units };
  }
}
tf.serialization.registerClass(TfCountingLinear);

const rand = mulberry32(11);
const x = tensor(randomArray(rand, 6 * 5), [6, 5]);
const y = oneHot([0, 1, 2, 0, 1, 2], 3);

function model(): Sequential {
  return new Sequential([new CountingLinear(4, { inputShape: [5] }), layers.dense({ units: 3, activation: 'softmax' })], { backend: 'js', seed: 5 });
}

async function saveToMemory(m: Sequential): Promise<{ modelJson: ModelJson; weightData: Uint8Array }> {
  let out: ModelArtifacts | undefined;
  await m.save((a) => void (out = a));
  const data = out!.weightData;
  return { modelJson: out!.modelJson, weightData: data instanceof Uint8Array ? data : data[0]! };
}


test.before(async () => {
  await tf.setBackend('cpu');
});

test('wasmnn → TF.js: non-trainable state follows the kernel in the manifest and loads as a non-trainable weight', async () => {
  const m = model();
  m.compile({ optimizer: optimizers.adam({ learningRate: 0.05 }), loss: 'categoricalCrossentropy' });
  await m.fit(x, y, { batchSize: 2, epochs: 2, verbose: 0 });
  const saved = await saveToMemory(m);
  const specs = saved.modelJson.weightsManifest[0]!.weights;
  assert.equal(
    specs.map((w) => w.name),
    ['counting_linear/kernel', 'counting_linear/seen_batches', 'dense/kernel', 'dense/bias'],
  );
  const tfModel = await tf.loadLayersModel(tf.io.fromMemory(saved.modelJson.modelTopology, specs as tf.io.WeightsManifestEntry[], saved.weightData.slice().buffer));
  const layer = tfModel.layers[0]!;
  assert.equal(layer.trainableWeights.map((w) => w.originalName), ['counting_linear/kernel']);
  assert.equal(layer.nonTrainableWeights.map((w) => w.originalName), ['counting_linear/seen_batches']);
  assert.equal([...(layer.nonTrainableWeights[0]!.read().dataSync() as Float32Array)], [6], '3 batches × 2 epochs');
  const ours = (await m.predict(x)).data;
  const theirs = (tfModel.predict(tf.tensor(x.data, [...x.shape])) as tf.Tensor).dataSync();
  assert.ok(maxDiff(ours, theirs) < 1e-6, `predictions differ by ${maxDiff(ours, theirs)}`);
  tfModel.dispose();
});

test('TF.js → wasmnn: a model TF.js saves with a non-trainable weight loads with its state', async () => {
  const tfModel = tf.sequential({ layers: [new TfCountingLinear({ units: 4, inputShape: [5] }), tf.layers.dense({ units: 3, activation: 'softmax' })] });
  const state = tfModel.layers[0]!.nonTrainableWeights[0]!;
  state.write(tf.tensor1d([17]));
  let artifacts: tf.io.ModelArtifacts | undefined;
  await tfModel.save(tf.io.withSaveHandler(async (a) => ((artifacts = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
  const specs = artifacts!.weightSpecs!;
  // TF.js writes the model's trainable weights first, then the non-trainable ones.
  const [counting, dense] = tfModel.layers.map((l) => l.name);
  assert.equal(specs.map((w) => w.name), [`${counting}/kernel`, `${dense}/kernel`, `${dense}/bias`, `${counting}/seen_batches`]);
  const modelJson = { modelTopology: artifacts!.modelTopology, weightsManifest: [{ paths: ['weights.bin'], weights: specs }] };
  const back = await loadModel({ modelJson, weightData: new Uint8Array(artifacts!.weightData as ArrayBuffer) }, { backend: 'js' });
  const weights = new Map(back.getWeights().map((w) => [w.name, w.data]));
  assert.equal([...weights.get(`${counting}/seen_batches`)!], [17]);
  let text = '';
  back.summary((t) => (text = t));
  assert.ok(text.includes('Non-trainable params: 1 '), text);
  const ours = (await back.predict(x)).data;
  const theirs = (tfModel.predict(tf.tensor(x.data, [...x.shape])) as tf.Tensor).dataSync();
  assert.ok(maxDiff(ours, theirs) < 1e-6, `predictions differ by ${maxDiff(ours, theirs)}`);
  tfModel.dispose();
});

test.run();
