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
