import type { Ptr } from '../kernels/kernels.js';
import type { MemoryPlan } from '../memory-plan.js';
import { shapeSize, type Shape } from '../tensor.js';
import { commonArgs, type Config } from './config.js';
import { Layer, layerLabel, type LayerArgs, type StepContext } from './layer.js';
import { registerLayer } from './registry.js';
import { channelCountProblem, channelValue, perChannelOption, type PerChannel } from './per-channel.js';

export interface RescalingArgs extends LayerArgs {
  /** Multiplies every input value (a number, or one per channel of the last axis as Keras 3 allows). */
  scale: PerChannel;
  /** Added after scaling (default 0; a number or one per channel). */
  offset?: PerChannel;
}

/** Keras' Rescaling: y = x·scale + offset, elementwise (e.g. scale 1/255 for 8-bit images). */
export class Rescaling extends Layer {
  readonly className = 'Rescaling';
  readonly scale: PerChannel;
  readonly offset: PerChannel;
  private channels = 0;
  private y: Ptr = -1;
  /** scale and offset spread over the channels: channelAffine's per-column factors. */
  private scales: Ptr = -1;
  private offsets: Ptr = -1;

  constructor(args: RescalingArgs) {
    super(args);
    const where = layerLabel('Rescaling', args.name);
    this.scale = perChannelOption(args.scale, 'scale', where);
    this.offset = perChannelOption(args.offset ?? 0, 'offset', where);
  }

  protected computeOutputShape(inputShape: Shape): Shape {
    if (inputShape.length === 0) throw this.shapeError(inputShape, 'needs an input with at least one axis per sample');
    this.channels = inputShape[inputShape.length - 1]!;
    const problem = channelCountProblem(this.scale, 'scale', this.channels) ?? channelCountProblem(this.offset, 'offset', this.channels);
    if (problem) throw this.shapeError(inputShape, problem);
    return [...inputShape];
  }

  override plan(memory: MemoryPlan, maxBatch: number): void {
    this.y = memory.alloc(maxBatch * shapeSize(this.inputShape));
    this.scales = memory.alloc(this.channels);
    this.offsets = memory.alloc(this.channels);
  }

  /** Writes the per-channel factors; the batch region holds nothing between calls, so every pass does. */
  private fillFactors(f: Float32Array): void {
    for (let c = 0; c < this.channels; c++) {
      f[this.scales + c] = channelValue(this.scale, c);
      f[this.offsets + c] = channelValue(this.offset, c);
    }
  }

  forward(ctx: StepContext, x: Ptr, batch: number): Ptr {
    const b = ctx.backend;
    this.fillFactors(b.f32());
    b.channelAffine(x, this.y, -1, this.scales, this.offsets, this.rows(batch), this.channels);
    return this.y;
  }

  backward(ctx: StepContext, dy: Ptr, _dx: Ptr | null, batch: number): Ptr {
    const b = ctx.backend;
    this.fillFactors(b.f32());
    b.channelAffine(dy, dy, -1, this.scales, -1, this.rows(batch), this.channels);
    return dy;
  }

  private rows(batch: number): number {
    return (batch * shapeSize(this.inputShape)) / this.channels;
  }

  getConfig(): Record<string, unknown> {
    return { scale: this.scale, offset: this.offset };
  }
}

registerLayer('Rescaling', (c: Config) => new Rescaling({ scale: c['scale'] as number, offset: (c['offset'] ?? 0) as number, ...commonArgs(c) }));
