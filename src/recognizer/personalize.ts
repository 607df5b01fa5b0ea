/**
 * "Teach it your handwriting": fine-tunes a copy of a digit recognizer (the shipped open-set model)
 * on a few samples of one person's digits. Browser-safe (the page's teach mode runs it in a worker).
 *
 * The feature extractor (every layer before the first Dense) is frozen, so a few dozen samples
 * cannot wreck the filters learned from 60,000 digits; only the dense head learns the person's
 * shapes. Every epoch sees each of the person's samples many times, each copy in a fresh small
 * random pose (posed-copies.ts), so the head learns the person's style rather than memorising
 * 40 pictures. Only the person's copies are posed: with Keras' Random* layers in front of the
 * model, which pose every sample, the replay set's posed digits taught the head that odd-looking
 * marks are digits (held-out non-digit families rejected: 92% → 63% for the test's person;
 * posing only the person's copies: 88%). A replay set of MNIST digits and non-digits
 * (replay-set.ts) is mixed in so the head keeps what it knew: without it, the same run rejected
 * 64% of those non-digits and misread twice as many MNIST digits.
 *
 * The result is not the fine-tuned head itself but the average of its weights and the base's
 * (`blend`, default one half): weight-space ensembling as in "Robust fine-tuning of zero-shot
 * models" (Wortsman et al., CVPR 2022, WiSE-FT). Fine-tuning alone pulls the head towards the
 * person's digits at the cost of what it knew; the midpoint keeps nearly all of the gain on the
 * person's digits and most of the base's rejection of non-digits and its MNIST accuracy, since
 * both ends share the frozen features (test/personalize.test.ts measures all three).
 */
import { Sequential } from '../model/sequential.js';
import { loadModel } from '../model/load.js';
import { layersFromTopology } from '../model/topology.js';
import { optimizers } from '../optimizers.js';
import { oneHot, Tensor } from '../tensor.js';
import { MNIST_SIZE } from '../image/normalize.js';
import { Random } from '../random.js';
import type { NamedWeight } from '../model/weights-format.js';
import { posedCopies, posedCopiesWork, type Pose } from './posed-copies.js';

const PIXELS = MNIST_SIZE * MNIST_SIZE;

/** Model inputs (n × 784, preprocessed as the recognizer does: preprocessDigit's `input`) and their classes. */
export interface LabelledInputs {
  inputs: Float32Array;
  labels: ArrayLike<number>;
}

export interface PersonalizeOptions {
  /** Samples the head keeps seeing so it does not forget (replaySetFromIdx). None: only the person's samples. */
  replay?: LabelledInputs;
  /** Passes over the training set (default 8). */
  epochs?: number;
  /** How many times each of the person's samples appears per epoch, each in its own random pose (default 12). */
  copies?: number;
  /**
   * The share of the fine-tuned head in the result, the rest being the base's head (default 0.5;
   * 1 keeps the fine-tuned head as trained, 0 the base). See the file's comment.
   */
  blend?: number;
  /** Adam's learning rate (default 1e-3: small, the head starts from a good model). */
  learningRate?: number;
  batchSize?: number;
  /** Seeds the shuffles and the augmentation draws (default 1), so a run can be repeated. */
  seed?: number;
  /** How far each copy of the person's samples may turn and zoom (default ±10°, ±10%). */
  pose?: Pose;
  /** After every batch: the fraction done (0..1) and the running logs; return or await to let a page breathe. */
  onProgress?: (done: number, logs: Record<string, number>) => void | Promise<void>;
  /** Stops training after the current batch; personalize then rejects with an AbortError. */
  signal?: AbortSignal;
}

export interface HeldOutScore {
  correct: number;
  total: number;
  accuracy: number;
}

export interface PersonalizeResult {
  /** The personal model: the base model's topology (every layer trainable, as saved) with the blended head. */
  model: Sequential;
  /** The base model's accuracy on the held-out samples, and the personal model's. */
  before: HeldOutScore;
  after: HeldOutScore;
  /** Samples per epoch (the person's copies + the replay set) and epochs run. */
  samplesPerEpoch: number;
  epochs: number;
}

/**
 * Fine-tunes a copy of `base` on `train` and scores both on `heldOut` (samples of the same person
 * not trained on). `base` is left untouched. Labels index the model's outputs (0–9; 10 is "not a digit").
 */
export async function personalize(base: Sequential, train: LabelledInputs, heldOut: LabelledInputs, options: PersonalizeOptions = {}): Promise<PersonalizeResult> {
  const classes = base.outputShape.at(-1) ?? 0;
  checkInputs(train, classes, 'personalize: train');
  checkInputs(heldOut, classes, 'personalize: heldOut');
  if (options.replay) checkInputs(options.replay, classes, 'personalize: replay');
  const epochs = positiveInt(options.epochs ?? 8, 'epochs');
  const copies = positiveInt(options.copies ?? 12, 'copies');
  const batchSize = positiveInt(options.batchSize ?? 32, 'batchSize');
  const seed = options.seed ?? 1;
  const blend = options.blend ?? 0.5;
  if (!(blend >= 0 && blend <= 1)) throw new Error(`personalize: blend must be between 0 and 1, got ${blend}`);
  options.signal?.throwIfAborted();

  const pose = options.pose ?? { maxTurn: (10 * Math.PI) / 180, maxZoom: 0.1 };
  const { x, y } = trainingSet(train, copies, options.replay, classes);
  const n = train.labels.length;
  const random = new Random(seed);
  const work = new Float32Array(posedCopiesWork(n));
  const trainer = await trainingModel(base, seed);
  try {
    trainer.compile({ optimizer: optimizers.adam({ learningRate: options.learningRate ?? 1e-3 }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const steps = epochs * Math.ceil(x.shape[0]! / batchSize);
    let step = 0;
    const callbacks = {
      onBatchEnd: async (_batch: number, logs: Record<string, number>) => {
        step++;
        if (options.signal?.aborted) trainer.stopTraining = true;
        await options.onProgress?.(step / steps, logs);
      },
    };
    for (let epoch = 0; epoch < epochs && !options.signal?.aborted; epoch++) {
      // The person's copies come first in x (trainingSet); new poses every epoch.
      posedCopies(train.inputs, n, copies, pose, random, x.data, work);
      await trainer.fit(x, y, { initialEpoch: epoch, epochs: epoch + 1, batchSize, shuffle: true, verbose: 0, callbacks });
    }
    options.signal?.throwIfAborted();

    const model = await loadModel(base.toArtifacts());
    model.setWeights(blended(base.getWeights(), trainer.getWeights(), blend));
    const [before, after] = [await score(base, heldOut), await score(model, heldOut)];
    return { model, before, after, samplesPerEpoch: x.shape[0]!, epochs };
  } finally {
    trainer.dispose();
  }
}

/** The share of `samples` whose most probable class is their label. */
export async function score(model: Sequential, samples: LabelledInputs): Promise<HeldOutScore> {
  const n = samples.labels.length;
  if (n === 0) return { correct: 0, total: 0, accuracy: NaN };
  const probs = (await model.predict(new Tensor(samples.inputs, [n, MNIST_SIZE, MNIST_SIZE, 1]))).data;
  const classes = probs.length / n;
  let correct = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (probs[i * classes + c]! > probs[i * classes + best]!) best = c;
    if (best === samples.labels[i]) correct++;
  }
  return { correct, total: n, accuracy: correct / n };
}

/** blend · tuned + (1 − blend) · base, array by array (the frozen arrays are equal in both). */
function blended(base: readonly NamedWeight[], tuned: readonly NamedWeight[], blend: number): NamedWeight[] {
  return tuned.map((w, i) => {
    const b = base[i]!.data;
    return { ...w, data: w.data.map((v, k) => blend * v + (1 - blend) * b[k]!) };
  });
}

/** A fresh copy of base's layers and weights, feature extractor frozen. */
async function trainingModel(base: Sequential, seed: number): Promise<Sequential> {
  const { layers } = layersFromTopology(base.toTopology());
  const firstDense = layers.findIndex((l) => l.className === 'Dense');
  if (firstDense < 0) throw new Error('personalize: the model has no Dense layer to fine-tune');
  layers.forEach((l, i) => {
    l.trainable = i >= firstDense;
  });
  const model = new Sequential(layers, { seed });
  await model.build();
  model.setWeights(base.getWeights());
  return model;
}

/** x: room for `copies` posed copies of the person's samples (posedCopies fills it), then the replay set; y: the labels one-hot. */
function trainingSet(train: LabelledInputs, copies: number, replay: LabelledInputs | undefined, classes: number): { x: Tensor; y: Tensor } {
  const n = train.labels.length;
  const r = replay?.labels.length ?? 0;
  const x = new Float32Array((n * copies + r) * PIXELS);
  const labels = new Uint8Array(n * copies + r);
  for (let k = 0; k < copies; k++) for (let i = 0; i < n; i++) labels[k * n + i] = train.labels[i]!;
  if (replay) {
    x.set(replay.inputs.subarray(0, r * PIXELS), n * copies * PIXELS);
    labels.set(Array.from(replay.labels), n * copies);
  }
  return { x: new Tensor(x, [n * copies + r, MNIST_SIZE, MNIST_SIZE, 1]), y: oneHot(labels, classes) };
}

function checkInputs(set: LabelledInputs, classes: number, what: string): void {
  const n = set.labels.length;
  if (set.inputs.length !== n * PIXELS) {
    throw new Error(`${what}: inputs must hold ${PIXELS} values (28x28) per label: ${n} labels need ${n * PIXELS} values, got ${set.inputs.length}`);
  }
  for (let i = 0; i < n; i++) {
    const label = set.labels[i]!;
    if (!Number.isInteger(label) || label < 0 || label >= classes) throw new Error(`${what}: label ${i} is ${label}; the model has classes 0..${classes - 1}`);
  }
}

function positiveInt(v: number, what: string): number {
  if (!Number.isInteger(v) || v <= 0) throw new Error(`personalize: ${what} must be a positive integer, got ${v}`);
  return v;
}
