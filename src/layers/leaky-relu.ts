import type { Ptr } from '../kernels/kernels.js';
import type { MemoryPlan } from '../memory-plan.js';
import { shapeSize, type Shape } from '../tensor.js';
import { commonArgs } from './config.js';
import { Layer, layerLabel, type LayerArgs, type StepContext } from './layer.js';
import { registerLayer } from './registry.js';

export interface LeakyReLUArgs extends LayerArgs {
  /** The slope for x ≤ 0 (TF.js' default 0.3; Keras 3 calls it negative_slope). */
  alpha?: number;
}

/** y = x > 0 ? x : alpha·x, elementwise (TF.js LeakyReLU). */
export class LeakyReLU extends Layer {
  readonly className = 'LeakyReLU';
  readonly alpha: number;
  private x: Ptr = -1;
  private y: Ptr = -1;

  constructor(args: LeakyReLUArgs = {}) {
    super(args);
    this.alpha = args.alpha ?? 0.3;
    if (typeof this.alpha !== 'number' || !Number.isFinite(this.alpha)) {
      throw new Error(`${layerLabel('LeakyReLU', args.name)}: alpha must be a finite number, got ${JSON.stringify(args.alpha)}`);
    }
  }

  protected computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape];
  }

  override plan(memory: MemoryPlan, maxBatch: number): void {
    this.y = memory.alloc(maxBatch * shapeSize(this.inputShape));
  }

  forward(ctx: StepContext, x: Ptr, batch: number): Ptr {
    this.x = x;
    ctx.backend.leakyRelu(x, this.y, batch * shapeSize(this.inputShape), this.alpha);
    return this.y;
  }

  backward(ctx: StepContext, dy: Ptr, _dx: Ptr | null, batch: number): Ptr {
    ctx.backend.leakyReluBackward(this.x, dy, dy, batch * shapeSize(this.inputShape), this.alpha);
    return dy;
  }

  getConfig(): Record<string, unknown> {
    return { alpha: this.alpha };
  }
}

registerLayer('LeakyReLU', (c, where) => {
  const alpha = c['alpha'] ?? c['negative_slope'] ?? 0.3;
  if (typeof alpha !== 'number') throw new Error(`${where}: config.alpha must be a number, got ${JSON.stringify(alpha)}`);
  return new LeakyReLU({ alpha, ...commonArgs(c) });
});
