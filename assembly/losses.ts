// The `loss` kernel: every loss and its gradient over rows×cols predictions and targets, fused.
// Semantics are in src/kernels/kernels.ts (`loss`), the reference in src/kernels/js/losses.ts.
// It runs on the model's output (a few hundred values a batch), so it works in f64 like the
// reference. Pointers are element indices (byte address = ptr << 2). Returns the mean loss.

// Loss codes shared with src/kernels/kernels.ts (`LossKind`): keep the numbers in sync.
const MEAN_SQUARED_ERROR: i32 = 0;
const MEAN_ABSOLUTE_ERROR: i32 = 1;
const HUBER: i32 = 2;
const MEAN_SQUARED_LOGARITHMIC_ERROR: i32 = 3;
const HINGE: i32 = 4;
const BINARY_CROSSENTROPY_LOGITS: i32 = 6;
const BINARY_CROSSENTROPY_SIGMOID_FUSED: i32 = 7;
const CATEGORICAL_CROSSENTROPY: i32 = 8;
const CATEGORICAL_CROSSENTROPY_LOGITS: i32 = 9;
const CATEGORICAL_CROSSENTROPY_SOFTMAX_FUSED: i32 = 10;
const KLD: i32 = 11;

const EPSILON: f64 = 1e-7;

@inline
function at(ptr: usize, i: i32): f64 {
  return <f64>load<f32>((ptr + <usize>i) << 2);
}

@inline
function put(ptr: usize, i: i32, v: f64): void {
  store<f32>((ptr + <usize>i) << 2, <f32>v);
}

@inline
function clip(x: f64): f64 {
  return Math.min(Math.max(x, EPSILON), 1 - EPSILON);
}

@inline
function sign(x: f64): f64 {
  return x > 0 ? 1 : x < 0 ? -1 : 0;
}

export function loss(kind: i32, p: usize, t: usize, grad: usize, w: isize, rows: i32, cols: i32, param: f64): f64 {
  const rowwise = kind >= CATEGORICAL_CROSSENTROPY;
  // Keras' hinge reads 0/1 labels as −1/+1, deciding over the whole batch.
  let hingeSigned = false;
  if (kind == HINGE) {
    for (let i = 0; i < rows * cols; i++) {
      const v = at(t, i);
      if (v != 0 && v != 1) hingeSigned = true;
    }
  }
  let total: f64 = 0;
  for (let r = 0; r < rows; r++) {
    const weight: f64 = w < 0 ? 1 : at(<usize>w, r);
    const o = <usize>(r * cols);
    const rowLoss = rowwise
      ? rowwiseLoss(kind, p + o, t + o, grad + o, cols, param, weight / rows)
      : elementwiseLoss(kind, p + o, t + o, grad + o, cols, param, hingeSigned, weight / (<f64>rows * cols)) / cols;
    total += weight * rowLoss;
  }
  return total / rows;
}

function elementwiseLoss(kind: i32, p: usize, t: usize, grad: usize, cols: i32, param: f64, hingeSigned: bool, scale: f64): f64 {
  let sum: f64 = 0;
  for (let c = 0; c < cols; c++) {
    const pc = at(p, c);
    let tc = at(t, c);
    let value: f64;
    let derivative: f64;
    if (kind == MEAN_SQUARED_ERROR) {
      const d = pc - tc;
      value = d * d;
      derivative = 2 * d;
    } else if (kind == MEAN_ABSOLUTE_ERROR) {
      const d = pc - tc;
      value = Math.abs(d);
      derivative = sign(d);
    } else if (kind == HUBER) {
      const d = pc - tc;
      const a = Math.abs(d);
      const q = Math.min(a, param);
      value = 0.5 * q * q + param * (a - q);
      derivative = a <= param ? d : param * sign(d);
    } else if (kind == MEAN_SQUARED_LOGARITHMIC_ERROR) {
      const pClipped = Math.max(pc, EPSILON);
      const d = Math.log1p(pClipped) - Math.log1p(Math.max(tc, EPSILON));
      value = d * d;
      derivative = pc < EPSILON ? 0 : (2 * d) / (1 + pClipped);
    } else if (kind == HINGE) {
      if (!hingeSigned) tc = 2 * tc - 1;
      const margin = 1 - tc * pc;
      value = Math.max(margin, 0);
      derivative = margin > 0 ? -tc : 0;
    } else if (kind == BINARY_CROSSENTROPY_LOGITS) {
      tc = tc * (1 - param) + 0.5 * param;
      value = Math.max(pc, 0) - pc * tc + Math.log1p(Math.exp(-Math.abs(pc)));
      derivative = 1 / (1 + Math.exp(-pc)) - tc;
    } else {
      // binaryCrossentropy and its sigmoid-fused form share the value.
      tc = tc * (1 - param) + 0.5 * param;
      const q = clip(pc);
      value = -tc * Math.log(q) - (1 - tc) * Math.log(1 - q);
      if (kind == BINARY_CROSSENTROPY_SIGMOID_FUSED) derivative = pc - tc;
      else derivative = q != pc ? 0 : (q - tc) / (q * (1 - q));
    }
    sum += value;
    put(grad, c, scale * derivative);
  }
  return sum;
}

@inline
function smoothed(t: usize, c: i32, cols: i32, smoothing: f64): f64 {
  return at(t, c) * (1 - smoothing) + smoothing / cols;
}

function rowwiseLoss(kind: i32, p: usize, t: usize, grad: usize, cols: i32, smoothing: f64, scale: f64): f64 {
  if (kind == KLD) {
    let value: f64 = 0;
    for (let c = 0; c < cols; c++) {
      const tc = at(t, c);
      const pc = at(p, c);
      const pClipped = Math.min(Math.max(pc, EPSILON), 1);
      if (tc != 0) value += tc * Math.log(Math.min(Math.max(tc, EPSILON), 1) / pClipped);
      put(grad, c, pClipped != pc ? 0 : (scale * -tc) / pc);
    }
    return value;
  }
  let targetSum: f64 = 0;
  for (let c = 0; c < cols; c++) targetSum += smoothed(t, c, cols, smoothing);
  if (kind == CATEGORICAL_CROSSENTROPY_LOGITS) {
    let max: f64 = -Infinity;
    for (let c = 0; c < cols; c++) max = Math.max(max, at(p, c));
    let sumExp: f64 = 0;
    for (let c = 0; c < cols; c++) sumExp += Math.exp(at(p, c) - max);
    const logSumExp = max + Math.log(sumExp);
    let value: f64 = 0;
    for (let c = 0; c < cols; c++) {
      const tc = smoothed(t, c, cols, smoothing);
      value += tc * (logSumExp - at(p, c));
      put(grad, c, scale * ((Math.exp(at(p, c) - max) / sumExp) * targetSum - tc));
    }
    return value;
  }
  // Probabilities, normalized per row as Keras does (a softmax row already sums to 1).
  let sum: f64 = 0;
  for (let c = 0; c < cols; c++) sum += at(p, c);
  let value: f64 = 0;
  let dot: f64 = 0; // Σ_c ∂ℓ/∂q_c · q_c, for the normalization's part of the gradient
  for (let c = 0; c < cols; c++) {
    const q = at(p, c) / sum;
    const qc = clip(q);
    const tc = smoothed(t, c, cols, smoothing);
    if (tc != 0) value -= tc * Math.log(qc);
    if (qc == q) dot -= tc;
  }
  for (let c = 0; c < cols; c++) {
    const pc = at(p, c);
    const tc = smoothed(t, c, cols, smoothing);
    if (kind == CATEGORICAL_CROSSENTROPY_SOFTMAX_FUSED) {
      put(grad, c, scale * (pc * targetSum - tc));
    } else {
      const q = pc / sum;
      const dq = clip(q) == q ? -tc / q : 0;
      put(grad, c, (scale * (dq - dot)) / sum);
    }
  }
  return value;
}
