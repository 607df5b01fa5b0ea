import type { Ptr } from '../kernels/kernels.js';
import type { MemoryPlan } from '../memory-plan.js';
import { shapeSize, type Shape } from '../tensor.js';
import { Layer, type StepContext } from './layer.js';

/**
 * The elementwise layers of Keras' relu family, y = x > threshold ? min(x, ceiling) :
 * slope·(x − threshold), on the kerasRelu kernels: ReLU sets all three, LeakyReLU only the slope.
 * The gradient is computed from the input, which the layer keeps.
 */
export abstract class PiecewiseLinear extends Layer {
  private x: Ptr = -1;
  private y: Ptr = -1;

  /** [ceiling (Infinity: none), slope below the threshold, threshold], set by the constructor. */
  protected abstract readonly pieces: readonly [number, number, number];

  protected computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape];
  }

  override plan(memory: MemoryPlan, maxBatch: number): void {
    this.y = memory.alloc(maxBatch * shapeSize(this.inputShape));
  }

  forward(ctx: StepContext, x: Ptr, batch: number): Ptr {
    this.x = x;
    const p = this.pieces;
    ctx.backend.kerasRelu(x, this.y, batch * shapeSize(this.inputShape), p[0], p[1], p[2]);
    return this.y;
  }

  backward(ctx: StepContext, dy: Ptr, _dx: Ptr | null, batch: number): Ptr {
    const p = this.pieces;
    ctx.backend.kerasReluBackward(this.x, dy, dy, batch * shapeSize(this.inputShape), p[0], p[1], p[2]);
    return dy;
  }
}
