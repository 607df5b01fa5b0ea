import type { Ptr, Window2D } from '../kernels/kernels.js';
import type { MemoryPlan } from '../memory-plan.js';
import type { Shape } from '../tensor.js';
import { commonArgs } from './config.js';
import { checkPadding, Layer, layerLabel, pair, type LayerArgs, type Padding, type StepContext } from './layer.js';
import { registerLayer } from './registry.js';

export interface AveragePooling2DArgs extends LayerArgs {
  poolSize?: number | [number, number];
  /** Defaults to poolSize. */
  strides?: number | [number, number];
  padding?: Padding;
}

/**
 * Average pooling over NHWC windows. With 'same' padding the padded positions are left out of
 * each average (TensorFlow's and Keras' rule), so border outputs average fewer inputs.
 */
export class AveragePooling2D extends Layer {
  readonly className = 'AveragePooling2D';
  readonly poolSize: [number, number];
  readonly strides: [number, number];
  readonly padding: Padding;
  private g!: Window2D;
  private y: Ptr = -1;

  constructor(args: AveragePooling2DArgs = {}) {
    super(args);
    const where = layerLabel('AveragePooling2D', args.name);
    this.poolSize = pair(args.poolSize ?? 2, 'poolSize', where);
    this.strides = pair(args.strides ?? this.poolSize, 'strides', where);
    this.padding = checkPadding(args.padding, where);
  }

  protected computeOutputShape(inputShape: Shape): Shape {
    this.g = this.windowGeometry(inputShape, this.poolSize, this.strides, this.padding, 'pool');
    return [this.g.oh, this.g.ow, this.g.c];
  }

  override plan(memory: MemoryPlan, maxBatch: number): void {
    this.y = memory.alloc(maxBatch * this.g.oh * this.g.ow * this.g.c);
  }

  forward(ctx: StepContext, x: Ptr, batch: number): Ptr {
    this.g.n = batch;
    ctx.backend.avgPool(x, this.y, this.g);
    return this.y;
  }

  backward(ctx: StepContext, dy: Ptr, dx: Ptr | null, batch: number): Ptr | null {
    if (dx === null) return null;
    this.g.n = batch;
    ctx.backend.avgPoolBackward(dy, dx, this.g);
    return dx;
  }

  getConfig(): Record<string, unknown> {
    return { pool_size: [...this.poolSize], padding: this.padding, strides: [...this.strides], data_format: 'channels_last' };
  }
}

registerLayer(
  'AveragePooling2D',
  (c) =>
    new AveragePooling2D({
      poolSize: (c['pool_size'] ?? 2) as [number, number],
      strides: (c['strides'] ?? c['pool_size'] ?? 2) as [number, number],
      padding: c['padding'] as Padding,
      ...commonArgs(c),
    }),
  ['AvgPool2D'],
);
