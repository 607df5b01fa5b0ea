import type { Ptr } from '../kernels/kernels.js';
import type { Layer, StepContext } from '../layers/layer.js';
import type { Random } from '../random.js';
import { shapeSize, type Tensor } from '../tensor.js';
import type { BatchPlan, ModelArena } from './arena.js';
import type { BnFold } from './bn-fold.js';

/** The forward and backward passes of a layer stack over its arena, and moving batches in. */
export class Passes {
  /** Input values per sample. */
  readonly inputSize: number;
  /** Output values per sample: the width of a target row. */
  readonly classes: number;

  constructor(
    private readonly layers: readonly Layer[],
    private readonly arena: ModelArena,
    private readonly rng: Random,
    /** BatchNormalization folded into the layer before it, for predict (null: a model without BatchNormalization). */
    readonly bnFold: BnFold | null = null,
  ) {
    this.inputSize = shapeSize(layers[0]!.inputShape);
    this.classes = shapeSize(layers[layers.length - 1]!.outputShape);
  }

  /** What layers see during one pass over the current batch plan. */
  context(plan: BatchPlan, training: boolean): StepContext {
    const rng = this.rng;
    return { backend: this.arena.backend, scratch: plan.scratch, training, nextSeed: () => rng.nextUint32() | 0 };
  }

  forward(ctx: StepContext, input: Ptr, rows: number): Ptr {
    // A training pass moves BatchNormalization's statistics, and the optimizer step after it the weights.
    if (ctx.training) this.bnFold?.invalidate();
    let x = input;
    for (const layer of this.layers) x = layer.forwardStep(ctx, x, rows);
    return x;
  }

  /**
   * Backward from dLoss/dOutput in plan.gradA down to layer `lowest` (the lowest layer with
   * trainable parameters): layers below it need nothing, and `lowest` itself is asked for no
   * input gradient.
   */
  backward(ctx: StepContext, plan: BatchPlan, rows: number, lowest: number): void {
    let dy = plan.gradA;
    for (let i = this.layers.length - 1; i >= lowest; i--) {
      const other = dy === plan.gradA ? plan.gradB : plan.gradA;
      const dx = this.layers[i]!.backwardStep(ctx, dy, i === lowest ? null : other, rows);
      if (i > lowest) dy = dx!;
    }
  }

  /**
   * Copies `rows` samples (in `order`, or sequentially from `start`) into the input buffer,
   * their targets (one-hot from class indices when `sparse`) into the target buffer and, when
   * given, their loss weights into the row-weight buffer.
   */
  loadBatch(x: Tensor, y: Tensor, order: Int32Array | null, start: number, rows: number, plan: BatchPlan, sparse: boolean, weights: Float32Array | null = null): void {
    const f32 = this.arena.backend.f32();
    const inSize = x.data.length / x.shape[0]!;
    const classes = this.classes;
    if (sparse) f32.fill(0, plan.target, plan.target + rows * classes);
    // Plain copy loops rather than set(subarray(...)): no view object per sample in the step.
    const xs = x.data;
    const ys = y.data;
    for (let r = 0; r < rows; r++) {
      const i = order ? order[start + r]! : start + r;
      copy(xs, i * inSize, f32, plan.input + r * inSize, inSize);
      if (sparse) f32[plan.target + r * classes + ys[i]!] = 1;
      else copy(ys, i * classes, f32, plan.target + r * classes, classes);
      if (weights) f32[plan.rowWeights + r] = weights[i]!;
    }
  }
}

function copy(from: Float32Array, fromIndex: number, to: Float32Array, toIndex: number, n: number): void {
  for (let k = 0; k < n; k++) to[toIndex + k] = from[fromIndex + k]!;
}
