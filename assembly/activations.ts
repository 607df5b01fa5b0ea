// Activations, softmax and the bias gradient over row-major float32 buffers.
// Pointers are element indices (byte address = ptr << 2). Activations and their derivatives
// run 4 lanes at a time (act-simd.ts says which), the ragged tail and the
// scalar build one value at a time (act.ts). Softmax works in f64 like the reference (rows
// are short: the classifier head).
import { LINEAR, RELU, applyAct, actDerivative, actDerivativeFromInput } from './act';
import { actV, derivFromInputV, derivV, simdAct, simdDerivativeFromInput } from './act-simd';

/**
 * Bias and linear/ReLU in one pass, 4 lanes at a time; the other activations after the bias,
 * through `activation` (their 4-lane code then exists once in the module, which keeps the
 * build small: every inlined copy of the exp-based ones costs kilobytes).
 */
export function biasActivation(x: usize, bias: i32, rows: i32, cols: i32, act: i32): void {
  const fused = act == LINEAR || act == RELU;
  const rowAct = fused ? act : LINEAR;
  const start = x;
  x <<= 2;
  const hasBias = bias >= 0;
  const bp = <usize>bias << 2;
  const rowBytes = <usize>cols << 2;
  if (hasBias || fused) {
    for (let r = 0; r < rows; r++) {
      const row = x + <usize>r * rowBytes;
      let c = 0;
      if (ASC_FEATURE_SIMD) {
        const zero = f32x4.splat(0);
        for (; c + 4 <= cols; c += 4) {
          const o = <usize>c << 2;
          let v = v128.load(row + o);
          if (hasBias) v = f32x4.add(v, v128.load(bp + o));
          if (rowAct == RELU) v = f32x4.pmax(zero, v); // pmax(0, v) = 0 < v ? v : 0 (NaN → 0)
          v128.store(row + o, v);
        }
      }
      for (; c < cols; c++) {
        const o = <usize>c << 2;
        let v = load<f32>(row + o);
        if (hasBias) v += load<f32>(bp + o);
        store<f32>(row + o, rowAct == RELU ? (v > 0 ? v : 0) : v);
      }
    }
  }
  if (!fused) activation(act, start, start, rows * cols);
}

export function activation(act: i32, x: usize, y: usize, n: i32): void {
  x <<= 2;
  y <<= 2;
  let i = 0;
  if (ASC_FEATURE_SIMD && simdAct(act)) {
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(y + o, actV(act, v128.load(x + o)));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, applyAct(act, load<f32>(x + o)));
  }
}

export function activationBackward(act: i32, y: usize, dy: usize, dx: usize, n: i32): void {
  y <<= 2;
  dy <<= 2;
  dx <<= 2;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(dx + o, derivV(act, v128.load(y + o), v128.load(dy + o)));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(dx + o, load<f32>(dy + o) * actDerivative(act, load<f32>(y + o)));
  }
}

export function activationBackwardFromInput(act: i32, x: usize, dy: usize, dx: usize, n: i32): void {
  x <<= 2;
  dy <<= 2;
  dx <<= 2;
  let i = 0;
  if (ASC_FEATURE_SIMD && simdDerivativeFromInput(act)) {
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(dx + o, derivFromInputV(act, v128.load(x + o), v128.load(dy + o)));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(dx + o, load<f32>(dy + o) * actDerivativeFromInput(act, load<f32>(x + o)));
  }
}

export function softmax(x: usize, y: usize, rows: i32, cols: i32): void {
  x <<= 2;
  y <<= 2;
  const rowBytes = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * rowBytes;
    const yr = y + <usize>r * rowBytes;
    let max = -Infinity;
    for (let c = 0; c < cols; c++) max = Math.max(max, <f64>load<f32>(xr + (<usize>c << 2)));
    let sum: f64 = 0;
    for (let c = 0; c < cols; c++) {
      const o = <usize>c << 2;
      const e = <f32>Math.exp(<f64>load<f32>(xr + o) - max);
      store<f32>(yr + o, e);
      sum += e;
    }
    for (let c = 0; c < cols; c++) {
      const o = <usize>c << 2;
      store<f32>(yr + o, <f32>(<f64>load<f32>(yr + o) / sum));
    }
  }
}

export function softmaxBackward(y: usize, dy: usize, dx: usize, rows: i32, cols: i32): void {
  y <<= 2;
  dy <<= 2;
  dx <<= 2;
  const rowBytes = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const row = <usize>r * rowBytes;
    let dot: f64 = 0;
    for (let c = 0; c < cols; c++) {
      const o = row + (<usize>c << 2);
      dot += <f64>load<f32>(dy + o) * <f64>load<f32>(y + o);
    }
    for (let c = 0; c < cols; c++) {
      const o = row + (<usize>c << 2);
      store<f32>(dx + o, <f32>(<f64>load<f32>(y + o) * (<f64>load<f32>(dy + o) - dot)));
    }
  }
}

/**
 * Column sums accumulated down the rows in f32: 16 columns (one cache line per row) at a time,
 * so every row line is read once, then 4 columns, then single columns.
 */
export function biasGrad(dy: usize, db: usize, rows: i32, cols: i32, accumulate: bool): void {
  dy <<= 2;
  db <<= 2;
  const rowBytes = <usize>cols << 2;
  let c = 0;
  if (ASC_FEATURE_SIMD) {
    for (; c + 16 <= cols; c += 16) {
      const o = <usize>c << 2;
      let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
      let p = dy + o;
      for (let r = 0; r < rows; r++) {
        s0 = f32x4.add(s0, v128.load(p));
        s1 = f32x4.add(s1, v128.load(p, 16));
        s2 = f32x4.add(s2, v128.load(p, 32));
        s3 = f32x4.add(s3, v128.load(p, 48));
        p += rowBytes;
      }
      if (accumulate) {
        s0 = f32x4.add(v128.load(db + o), s0);
        s1 = f32x4.add(v128.load(db + o, 16), s1);
        s2 = f32x4.add(v128.load(db + o, 32), s2);
        s3 = f32x4.add(v128.load(db + o, 48), s3);
      }
      v128.store(db + o, s0);
      v128.store(db + o, s1, 16);
      v128.store(db + o, s2, 32);
      v128.store(db + o, s3, 48);
    }
    for (; c + 4 <= cols; c += 4) {
      const o = <usize>c << 2;
      let s = f32x4.splat(0);
      let p = dy + o;
      for (let r = 0; r < rows; r++) {
        s = f32x4.add(s, v128.load(p));
        p += rowBytes;
      }
      if (accumulate) s = f32x4.add(v128.load(db + o), s);
      v128.store(db + o, s);
    }
  }
  for (; c < cols; c++) {
    const o = <usize>c << 2;
    let s: f32 = 0;
    let p = dy + o;
    for (let r = 0; r < rows; r++) {
      s += load<f32>(p);
      p += rowBytes;
    }
    store<f32>(db + o, accumulate ? load<f32>(db + o) + s : s);
  }
}

/** Keras' relu with options: x > threshold ? min(x, maxValue) : slope·(x − threshold); maxValue may be Infinity. */
export function kerasRelu(x: usize, y: usize, n: i32, maxValue: f32, negativeSlope: f32, threshold: f32): void {
  x <<= 2;
  y <<= 2;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const max = f32x4.splat(maxValue);
    const slope = f32x4.splat(negativeSlope);
    const t = f32x4.splat(threshold);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const v = v128.load(x + o);
      v128.store(y + o, v128.bitselect(f32x4.min(v, max), f32x4.mul(slope, f32x4.sub(v, t)), f32x4.gt(v, t)));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const v = load<f32>(x + o);
    store<f32>(y + o, v > threshold ? Mathf.min(v, maxValue) : negativeSlope * (v - threshold));
  }
}

/** dx = dy · (x > threshold ? (x < maxValue ? 1 : 0) : slope), from the input x. */
export function kerasReluBackward(x: usize, dy: usize, dx: usize, n: i32, maxValue: f32, negativeSlope: f32, threshold: f32): void {
  x <<= 2;
  dy <<= 2;
  dx <<= 2;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const max = f32x4.splat(maxValue);
    const slope = f32x4.splat(negativeSlope);
    const t = f32x4.splat(threshold);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const v = v128.load(x + o);
      const g = v128.load(dy + o);
      const above = v128.and(g, f32x4.lt(v, max));
      v128.store(dx + o, v128.bitselect(above, f32x4.mul(slope, g), f32x4.gt(v, t)));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const v = load<f32>(x + o);
    const g = load<f32>(dy + o);
    store<f32>(dx + o, v > threshold ? (v < maxValue ? g : 0) : negativeSlope * g);
  }
}
