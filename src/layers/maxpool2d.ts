import type { Ptr, Window2D } from '../kernels/kernels.js';
import type { MemoryPlan } from '../memory-plan.js';
import type { Shape } from '../tensor.js';
import { commonArgs } from './config.js';
import { checkPadding, Layer, layerLabel, pair, type LayerArgs, type Padding, type StepContext } from './layer.js';
import { registerLayer } from './registry.js';

export interface MaxPool2DArgs extends LayerArgs {
  poolSize?: number | [number, number];
  strides?: number | [number, number];
  padding?: Padding;
}

/** Max pooling over NHWC windows; remembers each winner so backward routes the gradient to it. */
export class MaxPool2D extends Layer {
  readonly className = 'MaxPooling2D';
  readonly poolSize: [number, number];
  readonly strides: [number, number];
  readonly padding: Padding;
  private g!: Window2D;
  private y: Ptr = -1;
  private argmax: Ptr = -1;

  constructor(args: MaxPool2DArgs = {}) {
    super(args);
    const where = layerLabel('MaxPool2D', args.name);
    this.poolSize = pair(args.poolSize ?? 2, 'poolSize', where);
    this.strides = pair(args.strides ?? this.poolSize, 'strides', where);
    this.padding = checkPadding(args.padding, where);
  }

  protected computeOutputShape(inputShape: Shape): Shape {
    this.g = this.windowGeometry(inputShape, this.poolSize, this.strides, this.padding, 'pool');
    return [this.g.oh, this.g.ow, this.g.c];
  }

  override plan(memory: MemoryPlan, maxBatch: number): void {
    const size = maxBatch * this.g.oh * this.g.ow * this.g.c;
    this.y = memory.alloc(size);
    this.argmax = memory.alloc(size);
  }

  forward(ctx: StepContext, x: Ptr, batch: number): Ptr {
    this.g.n = batch;
    ctx.backend.maxPool(x, this.y, this.argmax, this.g);
    return this.y;
  }

  backward(ctx: StepContext, dy: Ptr, dx: Ptr | null, batch: number): Ptr | null {
    if (dx === null) return null;
    this.g.n = batch;
    ctx.backend.maxPoolBackward(dy, this.argmax, dx, this.g);
    return dx;
  }

  getConfig(): Record<string, unknown> {
    return { pool_size: [...this.poolSize], padding: this.padding, strides: [...this.strides], data_format: 'channels_last' };
  }
}

registerLayer(
  'MaxPooling2D',
  (c) =>
    new MaxPool2D({
      poolSize: (c['pool_size'] ?? 2) as [number, number],
      strides: (c['strides'] ?? c['pool_size'] ?? 2) as [number, number],
      padding: c['padding'] as 'valid' | 'same',
      ...commonArgs(c),
    }),
  ['MaxPool2D'],
);
