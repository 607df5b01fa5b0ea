import type { Ptr } from '../kernels.js';

/**
 * Keras SGD: v = momentum·v − lr·(g + wd·p); p += nesterov ? momentum·v − lr·(g + wd·p) : v.
 * With momentum 0, v is not touched: p −= lr·(g + wd·p).
 */
export function sgdUpdate(
  f: Float32Array, p: Ptr, g: Ptr, v: Ptr, n: number,
  lr: number, momentum: number, nesterov: boolean, weightDecay: number,
): void {
  for (let j = 0; j < n; j++) {
    const step = lr * (f[g + j] + weightDecay * f[p + j]);
    if (momentum === 0) {
      f[p + j] -= step;
      continue;
    }
    const vj = Math.fround(momentum * f[v + j] - step);
    f[v + j] = vj;
    f[p + j] += nesterov ? momentum * vj - step : vj;
  }
}

/**
 * Keras Adam / AdamW: p −= lr·wd·p; m = β1·m + (1−β1)·g; v = β2·v + (1−β2)·g²;
 * p −= alpha·m/(√v + eps), alpha = lr·√(1−β2^t)/(1−β1^t) from the caller.
 */
export function adamUpdate(
  f: Float32Array, p: Ptr, g: Ptr, m: Ptr, v: Ptr, n: number,
  lr: number, alpha: number, beta1: number, beta2: number, eps: number, weightDecay: number,
): void {
  for (let j = 0; j < n; j++) {
    const gj = f[g + j];
    if (weightDecay !== 0) f[p + j] -= lr * weightDecay * f[p + j];
    const mj = Math.fround(beta1 * f[m + j] + (1 - beta1) * gj);
    const vj = Math.fround(beta2 * f[v + j] + (1 - beta2) * gj * gj);
    f[m + j] = mj;
    f[v + j] = vj;
    f[p + j] -= (alpha * mj) / (Math.sqrt(vj) + eps);
  }
}

/**
 * Keras / TF.js RMSprop (ε inside the root, as both do): ms = ρ·ms + (1−ρ)·g²;
 * centered: mg = ρ·mg + (1−ρ)·g, denom = ms − mg² + ε, else denom = ms + ε;
 * mom = momentum·mom + lr·g/√denom; p −= mom. mg is not touched unless centered.
 */
export function rmspropUpdate(
  f: Float32Array, p: Ptr, g: Ptr, ms: Ptr, mom: Ptr, mg: Ptr, n: number,
  lr: number, rho: number, momentum: number, eps: number, centered: boolean,
): void {
  for (let j = 0; j < n; j++) {
    const gj = f[g + j];
    const msj = Math.fround(rho * f[ms + j] + (1 - rho) * gj * gj);
    f[ms + j] = msj;
    let denom = msj + eps;
    if (centered) {
      const mgj = Math.fround(rho * f[mg + j] + (1 - rho) * gj);
      f[mg + j] = mgj;
      denom = msj - mgj * mgj + eps;
    }
    const momj = Math.fround(momentum * f[mom + j] + (lr * gj) / Math.sqrt(denom));
    f[mom + j] = momj;
    f[p + j] -= momj;
  }
}

/** Keras / TF.js Adagrad: acc += g²; p −= lr·g/√(acc + ε). */
export function adagradUpdate(f: Float32Array, p: Ptr, g: Ptr, acc: Ptr, n: number, lr: number, eps: number): void {
  for (let j = 0; j < n; j++) {
    const gj = f[g + j];
    const aj = Math.fround(f[acc + j] + gj * gj);
    f[acc + j] = aj;
    f[p + j] -= (lr * gj) / Math.sqrt(aj + eps);
  }
}

/**
 * Keras / TF.js Adamax: m = β1·m + (1−β1)·g; u = max(β2·u, |g|); p −= stepSize·m/(u + ε),
 * where the caller passes stepSize = lr/(1−β1^t).
 */
export function adamaxUpdate(f: Float32Array, p: Ptr, g: Ptr, m: Ptr, u: Ptr, n: number, stepSize: number, beta1: number, beta2: number, eps: number): void {
  for (let j = 0; j < n; j++) {
    const gj = f[g + j];
    const mj = Math.fround(beta1 * f[m + j] + (1 - beta1) * gj);
    const uj = Math.fround(Math.max(beta2 * f[u + j], Math.abs(gj)));
    f[m + j] = mj;
    f[u + j] = uj;
    f[p + j] -= (stepSize * mj) / (uj + eps);
  }
}

/**
 * Keras Nadam: m = β1·m + (1−β1)·g; v = β2·v + (1−β2)·g²;
 * p −= lr·(mCoef·m + gCoef·g)/(√(vCoef·v) + ε), with the caller's per-step coefficients
 * mCoef = u(t+1)/(1−Πu(1..t+1)), gCoef = (1−u(t))/(1−Πu(1..t)), vCoef = 1/(1−β2^t).
 */
export function nadamUpdate(
  f: Float32Array, p: Ptr, g: Ptr, m: Ptr, v: Ptr, n: number,
  lr: number, beta1: number, beta2: number, eps: number, mCoef: number, gCoef: number, vCoef: number,
): void {
  for (let j = 0; j < n; j++) {
    const gj = f[g + j];
    const mj = Math.fround(beta1 * f[m + j] + (1 - beta1) * gj);
    const vj = Math.fround(beta2 * f[v + j] + (1 - beta2) * gj * gj);
    f[m + j] = mj;
    f[v + j] = vj;
    f[p + j] -= (lr * (mCoef * mj + gCoef * gj)) / (Math.sqrt(vCoef * vj) + eps);
  }
}

/** Σ x², accumulated in float64 (gradient norms for clipping). */
export function sumOfSquares(f: Float32Array, x: Ptr, n: number): number {
  let s = 0;
  for (let j = 0; j < n; j++) s += f[x + j] * f[x + j];
  return s;
}

/** x = clamp(x·scale, −limit, limit) (clipping by norm or value, decoupled weight decay). */
export function scaleClamp(f: Float32Array, x: Ptr, n: number, scale: number, limit: number): void {
  for (let j = 0; j < n; j++) f[x + j] = Math.min(Math.max(f[x + j] * scale, -limit), limit);
}
