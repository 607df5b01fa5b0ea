/**
 * predict's loop: batches through the forward pass only. Apart from the training loop, which
 * fit and evaluate import on first use, so an app that only predicts does not load training.
 */
import { Tensor, type Shape } from '../tensor.js';
import type { ModelArena } from './arena.js';
import { nonFiniteError } from './input-checks.js';
import type { Passes } from './passes.js';

/**
 * The model's outputs for x ([n, ...inputShape]) as [n, ...outputShape]. With `foldBatchNorm`,
 * through the layers with each BatchNormalization folded into the layer before it where it can
 * be (model/bn-fold.ts): the same outputs up to float32 rounding.
 */
export function predictLoop(arena: ModelArena, passes: Passes, outputShape: Shape, x: Tensor, batchSize: number, foldBatchNorm = true): Tensor {
  const n = x.shape[0]!;
  const inSize = passes.inputSize;
  const outSize = passes.classes;
  const plan = arena.planBatches(Math.min(batchSize, Math.max(n, 1)), inSize, outSize);
  const ctx = passes.context(plan, false);
  const fold = foldBatchNorm && passes.bnFold?.active ? passes.bnFold : null;
  const result = new Float32Array(n * outSize);
  for (let start = 0; start < n; start += plan.maxBatch) {
    const rows = Math.min(plan.maxBatch, n - start);
    arena.backend.f32().set(x.data.subarray(start * inSize, (start + rows) * inSize), plan.input);
    const bad = arena.backend.firstNonFinite(plan.input, rows * inSize);
    if (bad >= 0) throw nonFiniteError('predict', x, start * inSize + bad);
    const output = fold ? fold.forward(ctx, plan, plan.input, rows) : passes.forward(ctx, plan.input, rows);
    result.set(arena.backend.f32().subarray(output, output + rows * outSize), start * outSize);
  }
  return new Tensor(result, [n, ...outputShape]);
}

