import { LossKind, type LossKindCode, type Ptr } from '../kernels.js';

const EPSILON = 1e-7;

const clip = (x: number): number => Math.min(Math.max(x, EPSILON), 1 - EPSILON);

/** The `loss` kernel (semantics in kernels.ts): Σ_r w_r·ℓ_r / rows, and its gradient. */
export function loss(f: Float32Array, kind: LossKindCode, p: Ptr, t: Ptr, grad: Ptr, w: Ptr, rows: number, cols: number, param: number): number {
  const rowwise = kind >= LossKind.categoricalCrossentropy;
  // Keras' hinge reads 0/1 labels as −1/+1, deciding over the whole batch.
  const hingeSigned = kind === LossKind.hinge && !allZeroOrOne(f, t, rows * cols);
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const weight = w < 0 ? 1 : f[w + r]!;
    const o = r * cols;
    const rowLoss = rowwise
      ? rowwiseLoss(f, kind, p + o, t + o, grad + o, cols, param, weight / rows)
      : elementwiseLoss(f, kind, p + o, t + o, grad + o, cols, param, hingeSigned, weight / (rows * cols)) / cols;
    total += weight * rowLoss;
  }
  return total / rows;
}

function allZeroOrOne(f: Float32Array, t: Ptr, n: number): boolean {
  for (let i = 0; i < n; i++) if (f[t + i] !== 0 && f[t + i] !== 1) return false;
  return true;
}

/** Σ over one row of the per-value loss; writes scale·(its derivative). */
function elementwiseLoss(f: Float32Array, kind: LossKindCode, p: Ptr, t: Ptr, grad: Ptr, cols: number, param: number, hingeSigned: boolean, scale: number): number {
  let sum = 0;
  for (let c = 0; c < cols; c++) {
    const pc = f[p + c]!;
    let tc = f[t + c]!;
    let value: number;
    let derivative: number;
    switch (kind) {
      case LossKind.meanSquaredError: {
        const d = pc - tc;
        value = d * d;
        derivative = 2 * d;
        break;
      }
      case LossKind.meanAbsoluteError: {
        const d = pc - tc;
        value = Math.abs(d);
        derivative = Math.sign(d);
        break;
      }
      case LossKind.huber: {
        const d = pc - tc;
        const a = Math.abs(d);
        const q = Math.min(a, param);
        value = 0.5 * q * q + param * (a - q);
        derivative = a <= param ? d : param * Math.sign(d);
        break;
      }
      case LossKind.meanSquaredLogarithmicError: {
        const pClipped = Math.max(pc, EPSILON);
        const d = Math.log1p(pClipped) - Math.log1p(Math.max(tc, EPSILON));
        value = d * d;
        derivative = pc < EPSILON ? 0 : (2 * d) / (1 + pClipped);
        break;
      }
      case LossKind.hinge: {
        if (!hingeSigned) tc = 2 * tc - 1;
        const margin = 1 - tc * pc;
        value = Math.max(margin, 0);
        derivative = margin > 0 ? -tc : 0;
        break;
      }
      case LossKind.binaryCrossentropyLogits: {
        tc = tc * (1 - param) + 0.5 * param;
        value = Math.max(pc, 0) - pc * tc + Math.log1p(Math.exp(-Math.abs(pc)));
        derivative = 1 / (1 + Math.exp(-pc)) - tc;
        break;
      }
      default: {
        // binaryCrossentropy and its sigmoid-fused form share the value.
        tc = tc * (1 - param) + 0.5 * param;
        const q = clip(pc);
        value = -tc * Math.log(q) - (1 - tc) * Math.log(1 - q);
        if (kind === LossKind.binaryCrossentropySigmoidFused) derivative = pc - tc;
        else derivative = q !== pc ? 0 : (q - tc) / (q * (1 - q));
      }
    }
    sum += value;
    f[grad + c] = scale * derivative;
  }
  return sum;
}

/** One row's loss of the kinds that couple a row's values; writes scale·(its gradient). */
function rowwiseLoss(f: Float32Array, kind: LossKindCode, p: Ptr, t: Ptr, grad: Ptr, cols: number, smoothing: number, scale: number): number {
  const target = (c: number): number => f[t + c]! * (1 - smoothing) + smoothing / cols;
  if (kind === LossKind.kld) {
    let value = 0;
    for (let c = 0; c < cols; c++) {
      const tc = f[t + c]!;
      const pc = f[p + c]!;
      const pClipped = Math.min(Math.max(pc, EPSILON), 1);
      if (tc !== 0) value += tc * Math.log(Math.min(Math.max(tc, EPSILON), 1) / pClipped);
      f[grad + c] = pClipped !== pc ? 0 : (scale * -tc) / pc;
    }
    return value;
  }
  let targetSum = 0;
  for (let c = 0; c < cols; c++) targetSum += target(c);
  if (kind === LossKind.categoricalCrossentropyLogits) {
    let max = -Infinity;
    for (let c = 0; c < cols; c++) max = Math.max(max, f[p + c]!);
    let sumExp = 0;
    for (let c = 0; c < cols; c++) sumExp += Math.exp(f[p + c]! - max);
    const logSumExp = max + Math.log(sumExp);
    let value = 0;
    for (let c = 0; c < cols; c++) {
      const tc = target(c);
      value += tc * (logSumExp - f[p + c]!);
      f[grad + c] = scale * ((Math.exp(f[p + c]! - max) / sumExp) * targetSum - tc);
    }
    return value;
  }
  // Probabilities, normalized per row as Keras does (a softmax row already sums to 1).
  let sum = 0;
  for (let c = 0; c < cols; c++) sum += f[p + c]!;
  let value = 0;
  let dot = 0; // Σ_c ∂ℓ/∂q_c · q_c, for the normalization's part of the gradient
  for (let c = 0; c < cols; c++) {
    const q = f[p + c]! / sum;
    const qc = clip(q);
    const tc = target(c);
    if (tc !== 0) value -= tc * Math.log(qc);
    if (qc === q) dot -= tc;
  }
  for (let c = 0; c < cols; c++) {
    const pc = f[p + c]!;
    const tc = target(c);
    if (kind === LossKind.categoricalCrossentropySoftmaxFused) {
      f[grad + c] = scale * (pc * targetSum - tc);
    } else {
      const q = pc / sum;
      const dq = clip(q) === q ? -tc / q : 0;
      f[grad + c] = (scale * (dq - dot)) / sum;
    }
  }
  return value;
}
