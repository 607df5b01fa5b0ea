// Optimizer updates, in place over n parameters, in f32 four lanes at a time.
// Pointers are element indices (byte address = ptr << 2). Formulas: see src/kernels/kernels.ts.

export function sgdUpdate(p: usize, g: usize, v: usize, n: i32, lr: f32, momentum: f32, nesterov: bool, weightDecay: f32): void {
  p <<= 2;
  g <<= 2;
  v <<= 2;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const lrV = f32x4.splat(lr), muV = f32x4.splat(momentum), wdV = f32x4.splat(weightDecay);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const pv = v128.load(p + o);
      const step = f32x4.mul(lrV, f32x4.add(v128.load(g + o), f32x4.mul(wdV, pv)));
      if (momentum == 0) {
        v128.store(p + o, f32x4.sub(pv, step));
        continue;
      }
      const vv = f32x4.sub(f32x4.mul(muV, v128.load(v + o)), step);
      v128.store(v + o, vv);
      v128.store(p + o, f32x4.add(pv, nesterov ? f32x4.sub(f32x4.mul(muV, vv), step) : vv));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const pj = load<f32>(p + o);
    const step = lr * (load<f32>(g + o) + weightDecay * pj);
    if (momentum == 0) {
      store<f32>(p + o, pj - step);
      continue;
    }
    const vj = momentum * load<f32>(v + o) - step;
    store<f32>(v + o, vj);
    store<f32>(p + o, pj + (nesterov ? momentum * vj - step : vj));
  }
}

export function adamUpdate(
  p: usize, g: usize, m: usize, v: usize, n: i32,
  lr: f32, alpha: f32, beta1: f64, beta2: f64, eps: f32, weightDecay: f32,
): void {
  p <<= 2;
  g <<= 2;
  m <<= 2;
  v <<= 2;
  const decay: f32 = 1 - lr * weightDecay; // p − lr·wd·p
  const b1 = <f32>beta1, c1 = <f32>(1 - beta1);
  const b2 = <f32>beta2, c2 = <f32>(1 - beta2);
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const b1V = f32x4.splat(b1), c1V = f32x4.splat(c1), b2V = f32x4.splat(b2), c2V = f32x4.splat(c2);
    const alphaV = f32x4.splat(alpha), epsV = f32x4.splat(eps), decayV = f32x4.splat(decay);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const gv = v128.load(g + o);
      const mv = f32x4.add(f32x4.mul(b1V, v128.load(m + o)), f32x4.mul(c1V, gv));
      const vv = f32x4.add(f32x4.mul(b2V, v128.load(v + o)), f32x4.mul(c2V, f32x4.mul(gv, gv)));
      v128.store(m + o, mv);
      v128.store(v + o, vv);
      let pv = v128.load(p + o);
      if (weightDecay != 0) pv = f32x4.mul(pv, decayV);
      const upd = f32x4.div(f32x4.mul(alphaV, mv), f32x4.add(f32x4.sqrt(vv), epsV));
      v128.store(p + o, f32x4.sub(pv, upd));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const gj = load<f32>(g + o);
    const mj = b1 * load<f32>(m + o) + c1 * gj;
    const vj = b2 * load<f32>(v + o) + c2 * gj * gj;
    store<f32>(m + o, mj);
    store<f32>(v + o, vj);
    let pj = load<f32>(p + o);
    if (weightDecay != 0) pj *= decay;
    store<f32>(p + o, pj - (alpha * mj) / (Mathf.sqrt(vj) + eps));
  }
}

export function rmspropUpdate(
  p: usize, g: usize, ms: usize, mom: usize, mg: usize, n: i32,
  lr: f32, rho: f32, momentum: f32, eps: f32, centered: bool,
): void {
  p <<= 2;
  g <<= 2;
  ms <<= 2;
  mom <<= 2;
  mg <<= 2;
  const c: f32 = 1 - rho;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const rhoV = f32x4.splat(rho), cV = f32x4.splat(c), lrV = f32x4.splat(lr), muV = f32x4.splat(momentum), epsV = f32x4.splat(eps);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const gv = v128.load(g + o);
      const msv = f32x4.add(f32x4.mul(rhoV, v128.load(ms + o)), f32x4.mul(cV, f32x4.mul(gv, gv)));
      v128.store(ms + o, msv);
      let denom = f32x4.add(msv, epsV);
      if (centered) {
        const mgv = f32x4.add(f32x4.mul(rhoV, v128.load(mg + o)), f32x4.mul(cV, gv));
        v128.store(mg + o, mgv);
        denom = f32x4.add(f32x4.sub(msv, f32x4.mul(mgv, mgv)), epsV);
      }
      const momv = f32x4.add(f32x4.mul(muV, v128.load(mom + o)), f32x4.div(f32x4.mul(lrV, gv), f32x4.sqrt(denom)));
      v128.store(mom + o, momv);
      v128.store(p + o, f32x4.sub(v128.load(p + o), momv));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const gj = load<f32>(g + o);
    const msj = rho * load<f32>(ms + o) + c * gj * gj;
    store<f32>(ms + o, msj);
    let denom = msj + eps;
    if (centered) {
      const mgj = rho * load<f32>(mg + o) + c * gj;
      store<f32>(mg + o, mgj);
      denom = msj - mgj * mgj + eps;
    }
    const momj = momentum * load<f32>(mom + o) + (lr * gj) / Mathf.sqrt(denom);
    store<f32>(mom + o, momj);
    store<f32>(p + o, load<f32>(p + o) - momj);
  }
}

export function adagradUpdate(p: usize, g: usize, acc: usize, n: i32, lr: f32, eps: f32): void {
  p <<= 2;
  g <<= 2;
  acc <<= 2;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const lrV = f32x4.splat(lr), epsV = f32x4.splat(eps);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const gv = v128.load(g + o);
      const av = f32x4.add(v128.load(acc + o), f32x4.mul(gv, gv));
      v128.store(acc + o, av);
      v128.store(p + o, f32x4.sub(v128.load(p + o), f32x4.div(f32x4.mul(lrV, gv), f32x4.sqrt(f32x4.add(av, epsV)))));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const gj = load<f32>(g + o);
    const aj = load<f32>(acc + o) + gj * gj;
    store<f32>(acc + o, aj);
    store<f32>(p + o, load<f32>(p + o) - (lr * gj) / Mathf.sqrt(aj + eps));
  }
}

export function adamaxUpdate(p: usize, g: usize, m: usize, u: usize, n: i32, stepSize: f32, beta1: f32, beta2: f32, eps: f32): void {
  p <<= 2;
  g <<= 2;
  m <<= 2;
  u <<= 2;
  const c1: f32 = 1 - beta1;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const b1V = f32x4.splat(beta1), c1V = f32x4.splat(c1), b2V = f32x4.splat(beta2), stepV = f32x4.splat(stepSize), epsV = f32x4.splat(eps);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const gv = v128.load(g + o);
      const mv = f32x4.add(f32x4.mul(b1V, v128.load(m + o)), f32x4.mul(c1V, gv));
      const uv = f32x4.max(f32x4.mul(b2V, v128.load(u + o)), f32x4.abs(gv));
      v128.store(m + o, mv);
      v128.store(u + o, uv);
      v128.store(p + o, f32x4.sub(v128.load(p + o), f32x4.div(f32x4.mul(stepV, mv), f32x4.add(uv, epsV))));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const gj = load<f32>(g + o);
    const mj = beta1 * load<f32>(m + o) + c1 * gj;
    const uj = max(beta2 * load<f32>(u + o), abs(gj));
    store<f32>(m + o, mj);
    store<f32>(u + o, uj);
    store<f32>(p + o, load<f32>(p + o) - (stepSize * mj) / (uj + eps));
  }
}

export function nadamUpdate(
  p: usize, g: usize, m: usize, v: usize, n: i32,
  lr: f32, beta1: f32, beta2: f32, eps: f32, mCoef: f32, gCoef: f32, vCoef: f32,
): void {
  p <<= 2;
  g <<= 2;
  m <<= 2;
  v <<= 2;
  const c1: f32 = 1 - beta1, c2: f32 = 1 - beta2;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const b1V = f32x4.splat(beta1), c1V = f32x4.splat(c1), b2V = f32x4.splat(beta2), c2V = f32x4.splat(c2);
    const lrV = f32x4.splat(lr), epsV = f32x4.splat(eps), mcV = f32x4.splat(mCoef), gcV = f32x4.splat(gCoef), vcV = f32x4.splat(vCoef);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const gv = v128.load(g + o);
      const mv = f32x4.add(f32x4.mul(b1V, v128.load(m + o)), f32x4.mul(c1V, gv));
      const vv = f32x4.add(f32x4.mul(b2V, v128.load(v + o)), f32x4.mul(c2V, f32x4.mul(gv, gv)));
      v128.store(m + o, mv);
      v128.store(v + o, vv);
      const num = f32x4.mul(lrV, f32x4.add(f32x4.mul(mcV, mv), f32x4.mul(gcV, gv)));
      v128.store(p + o, f32x4.sub(v128.load(p + o), f32x4.div(num, f32x4.add(f32x4.sqrt(f32x4.mul(vcV, vv)), epsV))));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const gj = load<f32>(g + o);
    const mj = beta1 * load<f32>(m + o) + c1 * gj;
    const vj = beta2 * load<f32>(v + o) + c2 * gj * gj;
    store<f32>(m + o, mj);
    store<f32>(v + o, vj);
    store<f32>(p + o, load<f32>(p + o) - (lr * (mCoef * mj + gCoef * gj)) / (Mathf.sqrt(vCoef * vj) + eps));
  }
}

/** Σ x² accumulated in f64 (as the reference), so norms of large tensors do not drift. */
export function sumOfSquares(x: usize, n: i32): f64 {
  x <<= 2;
  let i = 0;
  let s: f64 = 0;
  if (ASC_FEATURE_SIMD) {
    let acc = f64x2.splat(0);
    for (; i + 4 <= n; i += 4) {
      const xv = v128.load(x + (<usize>i << 2));
      const lo = f64x2.promote_low_f32x4(xv);
      const hi = f64x2.promote_low_f32x4(i32x4.shuffle(xv, xv, 2, 3, 0, 1));
      acc = f64x2.add(acc, f64x2.add(f64x2.mul(lo, lo), f64x2.mul(hi, hi)));
    }
    s = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  }
  for (; i < n; i++) {
    const xj = <f64>load<f32>(x + (<usize>i << 2));
    s += xj * xj;
  }
  return s;
}

export function scaleClamp(x: usize, n: i32, scale: f32, limit: f32): void {
  x <<= 2;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const sV = f32x4.splat(scale), hiV = f32x4.splat(limit), loV = f32x4.splat(-limit);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(x + o, f32x4.min(f32x4.max(f32x4.mul(v128.load(x + o), sV), loV), hiV));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(x + o, min(max(load<f32>(x + o) * scale, -limit), limit));
  }
}
