import { Act } from '../kernels.js';
import type { ActCode, Ptr } from '../kernels.js';

type Fn = (v: number) => number;

const identity: Fn = (v) => v;
const relu: Fn = (v) => (v > 0 ? v : 0);
const sigmoid: Fn = (v) => 1 / (1 + Math.exp(-v));
const tanh: Fn = Math.tanh;

/** act'(x) expressed through the activation's output y. */
const dLinear: Fn = () => 1;
const dRelu: Fn = (y) => (y > 0 ? 1 : 0);
const dSigmoid: Fn = (y) => y * (1 - y);
const dTanh: Fn = (y) => 1 - y * y;

function forward(act: ActCode): Fn {
  switch (act) {
    case Act.linear: return identity;
    case Act.relu: return relu;
    case Act.sigmoid: return sigmoid;
    case Act.tanh: return tanh;
    default: throw new Error(`unknown activation code ${act as number}`);
  }
}

function derivative(act: ActCode): Fn {
  switch (act) {
    case Act.linear: return dLinear;
    case Act.relu: return dRelu;
    case Act.sigmoid: return dSigmoid;
    case Act.tanh: return dTanh;
    default: throw new Error(`unknown activation code ${act as number}`);
  }
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
  const d = derivative(act);
  for (let j = 0; j < n; j++) f[dx + j] = f[dy + j] * d(f[y + j]);
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
