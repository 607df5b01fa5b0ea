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
