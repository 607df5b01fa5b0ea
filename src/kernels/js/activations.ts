import { Act } from '../kernels.js';
import type { ActCode, Ptr } from '../kernels.js';

type Fn = (v: number) => number;

/** SELU's constants (Klambauer et al. 2017), as TF.js and Keras use them. */
export const SELU_SCALE = 1.0507009873554804934193349852946;
export const SELU_ALPHA = 1.6732632423543772848170429916717;
/** √(2/π) and the cubic coefficient of GELU's tanh approximation (TF.js 'gelu_new'). */
const GELU_C = Math.sqrt(2 / Math.PI);
const GELU_K = 0.044715;

const sigmoid: Fn = (v) => 1 / (1 + Math.exp(-v));
const softplus: Fn = (v) => Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));
const geluTanhInner: Fn = (v) => GELU_C * (v + GELU_K * v * v * v);

/**
 * erf(x) from the series (2/√π)·e^(−x²)·Σ (2x²)ⁿ·x / (1·3·…·(2n+1)), whose terms are all
 * positive, so it keeps double precision wherever it is summed (|erf| < 1 − 1e-17 beyond 6).
 */
export function erf(x: number): number {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? NaN : Math.sign(x);
  if (Math.abs(x) >= 6) return Math.sign(x);
  const x2 = 2 * x * x;
  let term = x;
  let sum = x;
  for (let n = 1; Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
    term *= x2 / (2 * n + 1);
    sum += term;
  }
  return (2 / Math.sqrt(Math.PI)) * Math.exp(-x * x) * sum;
}

/** The standard normal CDF Φ and density φ (exact GELU: x·Φ(x)). */
const normalCdf: Fn = (v) => 0.5 * (1 + erf(v / Math.SQRT2));
const normalPdf: Fn = (v) => Math.exp(-0.5 * v * v) / Math.sqrt(2 * Math.PI);

const FORWARD: Record<ActCode, Fn> = {
  [Act.linear]: (v) => v,
  [Act.relu]: (v) => (v > 0 ? v : 0),
  [Act.sigmoid]: sigmoid,
  [Act.tanh]: Math.tanh,
  [Act.elu]: (v) => (v > 0 ? v : Math.expm1(v)),
  [Act.selu]: (v) => SELU_SCALE * (v > 0 ? v : SELU_ALPHA * Math.expm1(v)),
  [Act.softplus]: softplus,
  [Act.softsign]: (v) => v / (1 + Math.abs(v)),
  [Act.hardSigmoid]: (v) => {
    const t = 0.2 * v + 0.5;
    return t > 0 ? (t < 1 ? t : 1) : 0;
  },
  [Act.relu6]: (v) => (v > 0 ? Math.min(v, 6) : 0),
  [Act.exponential]: Math.exp,
  [Act.gelu]: (v) => v * normalCdf(v),
  [Act.gelu_new]: (v) => 0.5 * v * (1 + Math.tanh(geluTanhInner(v))),
  [Act.swish]: (v) => v * sigmoid(v),
  [Act.mish]: (v) => v * Math.tanh(softplus(v)),
};

/** act'(x) expressed through the activation's output y (the codes below Act.gelu). */
const FROM_OUTPUT: Partial<Record<ActCode, Fn>> = {
  [Act.linear]: () => 1,
  [Act.relu]: (y) => (y > 0 ? 1 : 0),
  [Act.sigmoid]: (y) => y * (1 - y),
  [Act.tanh]: (y) => 1 - y * y,
  [Act.elu]: (y) => (y > 0 ? 1 : y + 1),
  [Act.selu]: (y) => (y > 0 ? SELU_SCALE : y + SELU_SCALE * SELU_ALPHA),
  [Act.softplus]: (y) => -Math.expm1(-y), // σ(x) = 1 − e^(−softplus(x))
  [Act.softsign]: (y) => (1 - Math.abs(y)) ** 2, // 1/(1+|x|)², |x| = |y|/(1−|y|)
  [Act.hardSigmoid]: (y) => (y > 0 && y < 1 ? 0.2 : 0),
  [Act.relu6]: (y) => (y > 0 && y < 6 ? 1 : 0),
  [Act.exponential]: (y) => y,
};

/**
 * act'(x) from the input x where the output does not determine it; every other activation's
 * is FROM_OUTPUT of its output.
 */
const FROM_INPUT_ONLY: Partial<Record<ActCode, Fn>> = {
  [Act.gelu]: (x) => normalCdf(x) + x * normalPdf(x),
  [Act.gelu_new]: (x) => {
    const t = Math.tanh(geluTanhInner(x));
    return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * GELU_C * (1 + 3 * GELU_K * x * x);
  },
  [Act.swish]: (x) => {
    const s = sigmoid(x);
    return s + x * s * (1 - s);
  },
  // d/dx x·tanh(softplus(x)) = t + x·(1 − t²)·σ(x), since softplus' = σ.
  [Act.mish]: (x) => {
    const t = Math.tanh(softplus(x));
    return t + x * (1 - t * t) * sigmoid(x);
  },
};

function forward(act: ActCode): Fn {
  const fn = FORWARD[act];
  if (!fn) throw new Error(`unknown activation code ${act as number}`);
  return fn;
}

/** x[r,c] += bias[c] (skipped when bias < 0), then x = act(x), in place; x is rows×cols. */
export function biasActivation(f: Float32Array, x: Ptr, bias: Ptr, rows: number, cols: number, act: ActCode): void {
  const fn = forward(act);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const at = x + r * cols + c;
      const v = bias < 0 ? f[at] : f[at] + f[bias + c];
      f[at] = fn(v);
    }
  }
}

/** y = act(x) elementwise; y may alias x. */
export function activation(f: Float32Array, act: ActCode, x: Ptr, y: Ptr, n: number): void {
  const fn = forward(act);
  for (let j = 0; j < n; j++) f[y + j] = fn(f[x + j]);
}

/** dx = dy · act'(x), from the output y; dx may alias dy. */
export function activationBackward(f: Float32Array, act: ActCode, y: Ptr, dy: Ptr, dx: Ptr, n: number): void {
  const d = FROM_OUTPUT[act];
  if (!d) throw new Error(`activationBackward: code ${act as number} needs the input (activationBackwardFromInput)`);
  for (let j = 0; j < n; j++) f[dx + j] = f[dy + j] * d(f[y + j]);
}

/** dx = dy · act'(x), from the input x; dx may alias dy. */
export function activationBackwardFromInput(f: Float32Array, act: ActCode, x: Ptr, dy: Ptr, dx: Ptr, n: number): void {
  const fromInput = FROM_INPUT_ONLY[act];
  const fromOutput = FROM_OUTPUT[act];
  const fn = forward(act);
  const d: Fn = fromInput ?? ((v) => fromOutput!(fn(v)));
  for (let j = 0; j < n; j++) f[dx + j] = f[dy + j] * d(f[x + j]);
}

/** Row-wise softmax, max-subtracted; y may alias x. */
export function softmax(f: Float32Array, x: Ptr, y: Ptr, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const xr = x + r * cols;
    const yr = y + r * cols;
    let max = -Infinity;
    for (let c = 0; c < cols; c++) max = Math.max(max, f[xr + c]);
    let sum = 0;
    for (let c = 0; c < cols; c++) {
      const e = Math.exp(f[xr + c] - max);
      f[yr + c] = e;
      sum += e;
    }
    for (let c = 0; c < cols; c++) f[yr + c] /= sum;
  }
}

/** dx = y ⊙ (dy − Σ_j dy_j·y_j) per row; dx may alias dy. */
export function softmaxBackward(f: Float32Array, y: Ptr, dy: Ptr, dx: Ptr, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let dot = 0;
    for (let c = 0; c < cols; c++) dot += f[dy + o + c] * f[y + o + c];
    for (let c = 0; c < cols; c++) f[dx + o + c] = f[y + o + c] * (f[dy + o + c] - dot);
  }
}

/** db[c] = (accumulate ? db[c] : 0) + Σ_r dy[r,c]. */
export function biasGrad(f: Float32Array, dy: Ptr, db: Ptr, rows: number, cols: number, accumulate: boolean): void {
  for (let c = 0; c < cols; c++) {
    let sum = 0;
    for (let r = 0; r < rows; r++) sum += f[dy + r * cols + c];
    f[db + c] = accumulate ? f[db + c] + sum : sum;
  }
}

/** Keras' relu with options: x > threshold ? min(x, maxValue) : slope·(x − threshold), the options as float32; y may alias x. */
export function kerasRelu(f: Float32Array, x: Ptr, y: Ptr, n: number, maxValue: number, negativeSlope: number, threshold: number): void {
  const [max, slope, t] = [Math.fround(maxValue), Math.fround(negativeSlope), Math.fround(threshold)];
  for (let j = 0; j < n; j++) {
    const v = f[x + j];
    f[y + j] = v > t ? Math.min(v, max) : slope * (v - t);
  }
}

/** dx = dy · (x > threshold ? (x < maxValue ? 1 : 0) : slope), the options as float32; dx may alias dy. */
export function kerasReluBackward(f: Float32Array, x: Ptr, dy: Ptr, dx: Ptr, n: number, maxValue: number, negativeSlope: number, threshold: number): void {
  const [max, slope, t] = [Math.fround(maxValue), Math.fround(negativeSlope), Math.fround(threshold)];
  for (let j = 0; j < n; j++) {
    const v = f[x + j];
    f[dx + j] = v > t ? (v < max ? f[dy + j] : 0) : slope * f[dy + j];
  }
}
