import type { Ptr, Window2D } from '../kernels/kernels.js';
import type { MemoryPlan } from '../memory-plan.js';
import type { Shape } from '../tensor.js';
import { commonArgs, type Config } from './config.js';
import { checkPadding, Layer, layerLabel, pair, type LayerArgs, type Padding, type StepContext } from './layer.js';

/** How a pooling layer reduces a window: its maximum (routing the gradient to the winner) or its mean. */
export type PoolReduction = 'max' | 'average';

/**
 * A layer that reduces NHWC windows per channel with the window kernels: sliding windows
 * (MaxPooling2D, AveragePooling2D) or one window the size of the image (the global poolings).
 * Subclasses fix the window geometry `g` in computeOutputShape.
 */
export abstract class Pooling2D extends Layer {
  protected g!: Window2D;
  private y: Ptr = -1;
  private argmax: Ptr = -1;

  constructor(
    private readonly reduction: PoolReduction,
    args: LayerArgs,
  ) {
    super(args);
  }

  override plan(memory: MemoryPlan, maxBatch: number): void {
    const size = maxBatch * this.g.oh * this.g.ow * this.g.c;
    this.y = memory.alloc(size);
    if (this.reduction === 'max') this.argmax = memory.alloc(size);
  }

  forward(ctx: StepContext, x: Ptr, batch: number): Ptr {
    this.g.n = batch;
    if (this.reduction === 'max') ctx.backend.maxPool(x, this.y, this.argmax, this.g);
    else ctx.backend.avgPool(x, this.y, this.g);
    return this.y;
  }

  backward(ctx: StepContext, dy: Ptr, dx: Ptr | null, batch: number): Ptr | null {
    if (dx === null) return null;
    this.g.n = batch;
    if (this.reduction === 'max') ctx.backend.maxPoolBackward(dy, this.argmax, dx, this.g);
    else ctx.backend.avgPoolBackward(dy, dx, this.g);
    return dx;
  }
}

export interface SlidingPool2DArgs extends LayerArgs {
  poolSize?: number | [number, number];
  /** Defaults to poolSize. */
  strides?: number | [number, number];
  padding?: Padding;
}

/** Pooling over poolSize windows moved by strides, padded as TensorFlow pads ('valid' or 'same'). */
export abstract class SlidingPool2D extends Pooling2D {
  readonly poolSize: [number, number];
  readonly strides: [number, number];
  readonly padding: Padding;

  constructor(reduction: PoolReduction, label: string, args: SlidingPool2DArgs) {
    super(reduction, args);
    const where = layerLabel(label, args.name);
    this.poolSize = pair(args.poolSize ?? 2, 'poolSize', where);
    this.strides = pair(args.strides ?? this.poolSize, 'strides', where);
    this.padding = checkPadding(args.padding, where);
  }

  protected computeOutputShape(inputShape: Shape): Shape {
    this.g = this.windowGeometry(inputShape, this.poolSize, this.strides, this.padding, 'pool');
    return [this.g.oh, this.g.ow, this.g.c];
  }

  getConfig(): Record<string, unknown> {
    return { pool_size: [...this.poolSize], padding: this.padding, strides: [...this.strides], data_format: 'channels_last' };
  }
}

/** A sliding pooling layer's options from its Keras config. */
export function slidingPoolArgs(c: Config): SlidingPool2DArgs {
  return {
    poolSize: (c['pool_size'] ?? 2) as [number, number],
    strides: (c['strides'] ?? c['pool_size'] ?? 2) as [number, number],
    padding: c['padding'] as Padding,
    ...commonArgs(c),
  };
}
