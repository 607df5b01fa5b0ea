import type { Loss } from '../losses.js';
import { sampleWeights } from './sample-weights.js';
import { formatShape, shapeSize, Tensor, type Shape } from '../tensor.js';

/**
 * x must be a Tensor of [n, ...inputShape]. (predict checks the values for NaN and ±Infinity with
 * a kernel as it copies each batch in, see training-loop.ts; fit and evaluate, in checkData.)
 */
export function checkInputShape(x: Tensor, inputShape: Shape, what: string): void {
  if (!(x instanceof Tensor)) throw new Error(`${what}: x must be a Tensor (use tensor(data, shape))`);
  // Compared dimension by dimension: predict on one image runs this per call (strings cost µs).
  if (x.shape.length !== inputShape.length + 1 || inputShape.some((d, i) => x.shape[i + 1] !== d)) {
    throw new Error(`${what}: x has shape ${formatShape(x.shape.slice(1), x.shape[0])} but the model expects ${formatShape(inputShape)}`);
  }
}

/** The message naming the sample that holds a NaN or ±Infinity (`index` into x's values). */
export function nonFiniteError(what: string, x: Tensor, index: number): Error {
  return new Error(`${what}: x holds ${x.data[index]} at sample ${Math.floor(index / (x.data.length / x.shape[0]!))}`);
}

/** Inputs as checkInput, plus targets that fit the model's output and loss. */
export function checkData(x: Tensor, y: Tensor, inputShape: Shape, outputShape: Shape, loss: Loss | null, what: string): void {
  checkInputShape(x, inputShape, what);
  checkFinite(x, what);
  if (!(y instanceof Tensor)) throw new Error(`${what}: y must be a Tensor`);
  const n = x.shape[0]!;
  if (y.shape[0] !== n) throw new Error(`${what}: x has ${n} samples but y has ${y.shape[0]}`);
  if (n === 0) throw new Error(`${what}: no samples`);
  const classes = shapeSize(outputShape);
  if (loss?.sparseLabels) {
    if (y.size !== n) throw new Error(`${what}: sparse labels must have shape [${n}] or [${n}, 1], got [${y.shape.join(', ')}]`);
    for (let i = 0; i < n; i++) {
      const k = y.data[i]!;
      if (!Number.isInteger(k) || k < 0 || k >= classes) throw new Error(`${what}: label ${k} of sample ${i} is not a class index in [0, ${classes}) (sparseCategoricalCrossentropy on ${classes} output units)`);
    }
  } else if (formatShape(y.shape.slice(1)) !== formatShape(outputShape)) {
    throw new Error(`${what}: y has shape ${formatShape(y.shape.slice(1), n)} but the model outputs ${formatShape(outputShape, n)}${loss ? ` (loss ${loss.name})` : ''}`);
  } else if (loss?.name === 'binaryCrossentropy') {
    for (let i = 0; i < y.data.length; i++) {
      const t = y.data[i]!;
      if (!(t >= 0 && t <= 1)) throw new Error(`${what}: binaryCrossentropy needs targets in [0, 1], got ${t} at sample ${Math.floor(i / classes)}`);
    }
  }
}

/** NaN or ±Infinity in the inputs is an error naming the sample (a model would silently output garbage). */
function checkFinite(x: Tensor, what: string): void {
  const data = x.data;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    // v - v is 0 for finite numbers and NaN for NaN and ±Infinity: one comparison per value.
    if (v - v !== 0) throw nonFiniteError(what, x, i);
  }
}

/** Training and validation sets of a fit call, after validationSplit. */
export interface FitData {
  x: Tensor;
  y: Tensor;
  validation: [Tensor, Tensor] | undefined;
  /** Each training sample's loss weight (sampleWeight × classWeight), or null. */
  weights: Float32Array | null;
}

/**
 * fit's data checked, with validationSplit applied as Keras does: the last rows (before any
 * shuffling) become the validation set.
 */
export function checkFitData(
  x: Tensor,
  y: Tensor,
  args: { validationData?: [Tensor, Tensor]; validationSplit?: number } & Parameters<typeof sampleWeights>[0],
  inputShape: Shape,
  outputShape: Shape,
  loss: Loss,
): FitData {
  checkData(x, y, inputShape, outputShape, loss, 'fit');
  const weights = sampleWeights(args, y, loss, shapeSize(outputShape));
  let validation = args.validationData;
  if (validation) checkData(validation[0], validation[1], inputShape, outputShape, loss, 'fit validationData');
  if (args.validationSplit === undefined) return { x, y, validation, weights };
  if (validation) throw new Error('fit: give validationData or validationSplit, not both');
  if (!(args.validationSplit > 0 && args.validationSplit < 1)) throw new Error(`fit: validationSplit must be in (0, 1), got ${args.validationSplit}`);
  const split = trainingRowsOfSplit(x.shape[0]!, args.validationSplit);
  if (split < 1 || split >= x.shape[0]!) throw new Error(`fit: validationSplit ${args.validationSplit} leaves no training or no validation samples`);
  validation = [x.slice(split, x.shape[0]!), y.slice(split, y.shape[0]!)];
  return { x: x.slice(0, split), y: y.slice(0, split), validation, weights: weights && weights.subarray(0, split) };
}

/** How many of `rows` samples train under Keras' validationSplit `fraction` (the rest, the last ones, validate). */
export function trainingRowsOfSplit(rows: number, fraction: number): number {
  return Math.floor(rows * (1 - fraction));
}

export function checkBatchSize(b: number, what: string): number {
  if (!Number.isInteger(b) || b < 1) throw new Error(`${what}: batchSize must be a positive integer, got ${b}`);
  return b;
}
