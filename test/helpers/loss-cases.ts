import { LossKind, type LossKindCode } from '../../src/kernels/kernels.js';
import { randomArray, type Rng } from './random.js';

/** What the `loss` kernel's p holds for a kind: the value itself, or the input of the activation it is fused with. */
export type Domain = 'value' | 'sigmoidFused' | 'softmaxFused';

export interface LossCase {
  name: string;
  kind: LossKindCode;
  param: number;
  domain: Domain;
  /** Predictions (logits for logits kinds, pre-activation for fused ones) and targets for rows × cols. */
  data(rng: Rng, rows: number, cols: number): { x: Float32Array; t: Float32Array };
}

const oneHotRows = (rng: Rng, rows: number, cols: number): Float32Array => {
  const t = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) t[r * cols + Math.floor(rng() * cols)] = 1;
  return t;
};

const softRows = (rng: Rng, rows: number, cols: number): Float32Array => {
  const t = randomArray(rng, rows * cols, 0.05, 1);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let c = 0; c < cols; c++) s += t[r * cols + c]!;
    for (let c = 0; c < cols; c++) t[r * cols + c]! /= s;
  }
  return t;
};

const bits = (rng: Rng, n: number): Float32Array => Float32Array.from({ length: n }, () => (rng() < 0.5 ? 0 : 1));

/** One case per loss kind and option the kernel has, on data away from the kinks (for finite differences). */
export const LOSS_CASES: LossCase[] = [
  { name: 'meanSquaredError', kind: LossKind.meanSquaredError, param: 0, domain: 'value', data: (rng, r, c) => ({ x: randomArray(rng, r * c, -2, 2), t: randomArray(rng, r * c, -2, 2) }) },
  { name: 'meanAbsoluteError', kind: LossKind.meanAbsoluteError, param: 0, domain: 'value', data: (rng, r, c) => ({ x: randomArray(rng, r * c, -2, 2), t: randomArray(rng, r * c, -2, 2) }) },
  { name: 'huber δ=1', kind: LossKind.huber, param: 1, domain: 'value', data: (rng, r, c) => ({ x: randomArray(rng, r * c, -2, 2), t: randomArray(rng, r * c, -2, 2) }) },
  { name: 'huber δ=0.3', kind: LossKind.huber, param: 0.3, domain: 'value', data: (rng, r, c) => ({ x: randomArray(rng, r * c, -2, 2), t: randomArray(rng, r * c, -2, 2) }) },
  {
    name: 'meanSquaredLogarithmicError',
    kind: LossKind.meanSquaredLogarithmicError,
    param: 0,
    domain: 'value',
    data: (rng, r, c) => ({ x: randomArray(rng, r * c, 0.05, 3), t: randomArray(rng, r * c, 0, 3) }),
  },
  { name: 'hinge 0/1 labels', kind: LossKind.hinge, param: 0, domain: 'value', data: (rng, r, c) => ({ x: randomArray(rng, r * c, -2, 2), t: bits(rng, r * c) }) },
  {
    name: 'hinge ±1 labels',
    kind: LossKind.hinge,
    param: 0,
    domain: 'value',
    data: (rng, r, c) => ({ x: randomArray(rng, r * c, -2, 2), t: bits(rng, r * c).map((b) => 2 * b - 1) }),
  },
  { name: 'binaryCrossentropy', kind: LossKind.binaryCrossentropy, param: 0, domain: 'value', data: (rng, r, c) => ({ x: randomArray(rng, r * c, 0.02, 0.98), t: randomArray(rng, r * c, 0, 1) }) },
  { name: 'binaryCrossentropy smoothing 0.2', kind: LossKind.binaryCrossentropy, param: 0.2, domain: 'value', data: (rng, r, c) => ({ x: randomArray(rng, r * c, 0.02, 0.98), t: bits(rng, r * c) }) },
  { name: 'binaryCrossentropy fromLogits', kind: LossKind.binaryCrossentropyLogits, param: 0, domain: 'value', data: (rng, r, c) => ({ x: randomArray(rng, r * c, -6, 6), t: bits(rng, r * c) }) },
  { name: 'binaryCrossentropy fromLogits smoothing 0.1', kind: LossKind.binaryCrossentropyLogits, param: 0.1, domain: 'value', data: (rng, r, c) => ({ x: randomArray(rng, r * c, -6, 6), t: randomArray(rng, r * c, 0, 1) }) },
  { name: 'sigmoid + binaryCrossentropy (fused)', kind: LossKind.binaryCrossentropySigmoidFused, param: 0, domain: 'sigmoidFused', data: (rng, r, c) => ({ x: randomArray(rng, r * c, -4, 4), t: bits(rng, r * c) }) },
  { name: 'sigmoid + binaryCrossentropy smoothing 0.1 (fused)', kind: LossKind.binaryCrossentropySigmoidFused, param: 0.1, domain: 'sigmoidFused', data: (rng, r, c) => ({ x: randomArray(rng, r * c, -4, 4), t: bits(rng, r * c) }) },
  // Rows that do not sum to 1: the loss normalizes them, as Keras does.
  { name: 'categoricalCrossentropy', kind: LossKind.categoricalCrossentropy, param: 0, domain: 'value', data: (rng, r, c) => ({ x: randomArray(rng, r * c, 0.05, 1), t: oneHotRows(rng, r, c) }) },
  { name: 'categoricalCrossentropy soft targets, smoothing 0.1', kind: LossKind.categoricalCrossentropy, param: 0.1, domain: 'value', data: (rng, r, c) => ({ x: randomArray(rng, r * c, 0.05, 1), t: softRows(rng, r, c) }) },
  { name: 'categoricalCrossentropy fromLogits', kind: LossKind.categoricalCrossentropyLogits, param: 0, domain: 'value', data: (rng, r, c) => ({ x: randomArray(rng, r * c, -5, 5), t: oneHotRows(rng, r, c) }) },
  { name: 'categoricalCrossentropy fromLogits smoothing 0.2', kind: LossKind.categoricalCrossentropyLogits, param: 0.2, domain: 'value', data: (rng, r, c) => ({ x: randomArray(rng, r * c, -5, 5), t: softRows(rng, r, c) }) },
  { name: 'softmax + categoricalCrossentropy (fused)', kind: LossKind.categoricalCrossentropySoftmaxFused, param: 0, domain: 'softmaxFused', data: (rng, r, c) => ({ x: randomArray(rng, r * c, -3, 3), t: oneHotRows(rng, r, c) }) },
  { name: 'softmax + categoricalCrossentropy smoothing 0.1 (fused)', kind: LossKind.categoricalCrossentropySoftmaxFused, param: 0.1, domain: 'softmaxFused', data: (rng, r, c) => ({ x: randomArray(rng, r * c, -3, 3), t: softRows(rng, r, c) }) },
  { name: 'kld', kind: LossKind.kld, param: 0, domain: 'value', data: (rng, r, c) => ({ x: softRows(rng, r, c), t: softRows(rng, r, c) }) },
];

/** The activation a fused case's kernel input is the output of, in float64. */
export function activate(domain: Domain, x: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const out = Float64Array.from(x);
  if (domain === 'sigmoidFused') for (let i = 0; i < out.length; i++) out[i] = 1 / (1 + Math.exp(-out[i]!));
  if (domain === 'softmaxFused') {
    for (let r = 0; r < rows; r++) {
      let max = -Infinity;
      for (let c = 0; c < cols; c++) max = Math.max(max, out[r * cols + c]!);
      let s = 0;
      for (let c = 0; c < cols; c++) s += out[r * cols + c] = Math.exp(out[r * cols + c]! - max);
      for (let c = 0; c < cols; c++) out[r * cols + c]! /= s;
    }
  }
  return out;
}
