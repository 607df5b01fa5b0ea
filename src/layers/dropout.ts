import type { Ptr } from '../kernels/kernels.js';
import type { MemoryPlan } from '../memory-plan.js';
import { shapeSize, type Shape } from '../tensor.js';
import { commonArgs, numberOption } from './config.js';
import { Layer, layerLabel, type LayerArgs, type StepContext } from './layer.js';
import { registerLayer } from './registry.js';

/** Inverted dropout: zeroes a fraction `rate` of inputs while training and scales the rest by 1/(1−rate). */
export class Dropout extends Layer {
  readonly className = 'Dropout';
  readonly rate: number;
  private y: Ptr = -1;
  private mask: Ptr = -1;

  constructor(args: { rate: number } & LayerArgs) {
    super(args);
    if (!(typeof args.rate === 'number' && args.rate >= 0 && args.rate < 1)) {
      throw new Error(`${layerLabel('Dropout', args.name)}: rate must be a number in [0, 1), got ${args.rate}`);
    }
    this.rate = args.rate;
  }

  protected computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape];
  }

  override plan(memory: MemoryPlan, maxBatch: number): void {
    const size = maxBatch * shapeSize(this.inputShape);
    this.y = memory.alloc(size);
    this.mask = memory.alloc(size);
  }

  forward(ctx: StepContext, x: Ptr, batch: number): Ptr {
    if (!ctx.training || this.rate === 0) return x;
    ctx.backend.dropout(x, this.y, this.mask, batch * shapeSize(this.inputShape), this.rate, ctx.nextSeed());
    return this.y;
  }

  backward(ctx: StepContext, dy: Ptr, _dx: Ptr | null, batch: number): Ptr {
    if (this.rate > 0) ctx.backend.multiply(dy, this.mask, dy, batch * shapeSize(this.inputShape));
    return dy;
  }

  getConfig(): Record<string, unknown> {
    return { rate: this.rate, noise_shape: null, seed: null };
  }
}

registerLayer('Dropout', (c, where) => new Dropout({ rate: numberOption(c, 'rate', where), ...commonArgs(c) }));
