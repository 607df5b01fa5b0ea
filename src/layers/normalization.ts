import type { Ptr } from '../kernels/kernels.js';
import type { MemoryPlan } from '../memory-plan.js';
import { formatShape, shapeSize, type Shape, type Tensor } from '../tensor.js';
import { commonArgs, type Config } from './config.js';
import { Layer, layerLabel, type LayerArgs, type State, type StepContext } from './layer.js';
import { registerLayer } from './registry.js';
import { channelCountProblem, channelValue, perChannelOption, type PerChannel } from './per-channel.js';

/** Keras' backend.epsilon(): the smallest standard deviation Normalization divides by. */
const EPSILON = 1e-7;

export interface NormalizationArgs extends LayerArgs {
  /** The axis that keeps its own statistics: -1 (default) or its positive index counted with the batch axis; only the last axis is supported. */
  axis?: number;
  /** Fixed statistics (a number, or one per channel). Without them the layer keeps mean, variance and count as weights, set by `adapt`. */
  mean?: PerChannel;
  variance?: PerChannel;
  /** Undo a normalization instead: y = x·√variance + mean (default false). */
  invert?: boolean;
}

/**
 * Keras' Normalization over the last axis: y = (x − mean)/max(√variance, 1e-7) per channel.
 * Without fixed `mean`/`variance` it has Keras' three non-trainable weights (mean, variance,
 * count), which `adapt(x)` computes and which save and load with the model.
 */
export class Normalization extends Layer {
  readonly className = 'Normalization';
  readonly axis: number;
  readonly invert: boolean;
  readonly fixedMean: PerChannel | undefined;
  readonly fixedVariance: PerChannel | undefined;
  private adapted: { mean: Float32Array; variance: Float32Array; count: number } | null = null;
  private channels = 0;
  private y: Ptr = -1;
  /** Per channel: the mean (fixed statistics only) and the factor 1/std (or std when inverting). */
  private meanBuffer: Ptr = -1;
  private factor: Ptr = -1;

  constructor(args: NormalizationArgs = {}) {
    super(args);
    const where = layerLabel('Normalization', args.name);
    this.axis = args.axis ?? -1;
    if (!Number.isInteger(this.axis)) throw new Error(`${where}: axis must be an integer, got ${JSON.stringify(args.axis)}`);
    if ((args.mean === undefined) !== (args.variance === undefined)) {
      throw new Error(`${where}: give both mean and variance, or neither (then call adapt(x) before training)`);
    }
    this.fixedMean = args.mean === undefined ? undefined : perChannelOption(args.mean, 'mean', where);
    this.fixedVariance = args.variance === undefined ? undefined : perChannelOption(args.variance, 'variance', where, true);
    if (typeof args.invert !== 'boolean' && args.invert !== undefined) throw new Error(`${where}: invert must be true or false, got ${JSON.stringify(args.invert)}`);
    this.invert = args.invert ?? false;
  }

  protected computeOutputShape(inputShape: Shape): Shape {
    if (inputShape.length === 0) throw this.shapeError(inputShape, 'needs an input with at least one axis per sample');
    if (this.axis !== -1 && this.axis !== inputShape.length) {
      throw this.shapeError(inputShape, `keeps statistics only along the last axis: axis must be -1 or ${inputShape.length}, got ${this.axis}`);
    }
    this.channels = inputShape[inputShape.length - 1]!;
    const problem = channelCountProblem(this.fixedMean, 'mean', this.channels) ?? channelCountProblem(this.fixedVariance, 'variance', this.channels);
    if (problem) throw this.shapeError(inputShape, problem);
    if (this.adapted && this.adapted.mean.length !== this.channels) {
      throw this.shapeError(inputShape, `adapt() saw ${this.adapted.mean.length} channels but the last axis has ${this.channels}`);
    }
    return [...inputShape];
  }

  protected override declareState(): State[] {
    // With fixed statistics Keras makes no weights; the values live in the config.
    if (this.fixedMean !== undefined) return [];
    const states = [this.newState('mean', [this.channels], 'zeros'), this.newState('variance', [this.channels], 'ones'), this.newState('count', [], 'zeros')];
    if (this.adapted) {
      states[0]!.values = this.adapted.mean;
      states[1]!.values = this.adapted.variance;
      states[2]!.values = Float32Array.of(this.adapted.count);
    }
    return states;
  }

  /**
   * Computes the per-channel mean and (biased) variance of x, a batch of samples whose last axis
   * is the channel axis, as Keras' adapt does; they become the layer's weights when the model is
   * built, so call it before the model's first build/fit/predict.
   */
  adapt(x: Tensor): void {
    const where = layerLabel('Normalization', this.name);
    if (this.fixedMean !== undefined) throw new Error(`${where}: adapt() needs a layer without fixed mean/variance`);
    if (this.state.some((s) => s.ptr >= 0)) {
      throw new Error(`${where}: adapt() must come before the model is built (its first build, fit, predict or evaluate); for a built model set the weights '${this.name}/mean' and '${this.name}/variance' with model.setWeights`);
    }
    if (x.shape.length < 2 || x.shape[0]! < 1) throw new Error(`${where}: adapt() needs a batch of at least one sample, got shape ${formatShape(x.shape)}`);
    const expected = this.declaredInputShape ?? (this.isBuilt ? this.inputShape : undefined);
    if (expected && formatShape(x.shape.slice(1)) !== formatShape(expected)) {
      throw new Error(`${where}: adapt() got samples of shape ${formatShape(x.shape.slice(1))}, the layer takes ${formatShape(expected)}`);
    }
    const channels = x.shape[x.shape.length - 1]!;
    const rows = x.data.length / channels;
    const sum = new Float64Array(channels);
    for (let i = 0; i < x.data.length; i++) sum[i % channels]! += x.data[i]!;
    const mean = sum.map((s) => s / rows);
    const squares = new Float64Array(channels);
    for (let i = 0; i < x.data.length; i++) {
      const d = x.data[i]! - mean[i % channels]!;
      squares[i % channels]! += d * d;
    }
    this.adapted = { mean: Float32Array.from(mean), variance: Float32Array.from(squares, (s) => s / rows), count: rows };
    if (this.isBuilt) this.state = this.declareState();
  }

  override plan(memory: MemoryPlan, maxBatch: number): void {
    this.y = memory.alloc(maxBatch * shapeSize(this.inputShape));
    this.meanBuffer = memory.alloc(this.channels);
    this.factor = memory.alloc(this.channels);
  }

  /** Fills the factor (and, for fixed statistics, the mean) per channel; returns where the mean is. */
  private prepare(f: Float32Array): Ptr {
    let mean = this.meanBuffer;
    let variance = -1;
    if (this.fixedMean === undefined) {
      mean = this.state[0]!.ptr;
      variance = this.state[1]!.ptr;
    }
    for (let c = 0; c < this.channels; c++) {
      if (this.fixedMean !== undefined) f[mean + c] = channelValue(this.fixedMean, c);
      const v = variance < 0 ? channelValue(this.fixedVariance!, c) : f[variance + c]!;
      const std = Math.max(Math.sqrt(v), EPSILON);
      f[this.factor + c] = this.invert ? std : 1 / std;
    }
    return mean;
  }

  forward(ctx: StepContext, x: Ptr, batch: number): Ptr {
    const b = ctx.backend;
    const mean = this.prepare(b.f32());
    if (this.invert) b.channelAffine(x, this.y, -1, this.factor, mean, this.rows(batch), this.channels);
    else b.channelAffine(x, this.y, mean, this.factor, -1, this.rows(batch), this.channels);
    return this.y;
  }

  backward(ctx: StepContext, dy: Ptr, _dx: Ptr | null, batch: number): Ptr {
    const b = ctx.backend;
    this.prepare(b.f32());
    b.channelAffine(dy, dy, -1, this.factor, -1, this.rows(batch), this.channels);
    return dy;
  }

  private rows(batch: number): number {
    return (batch * shapeSize(this.inputShape)) / this.channels;
  }

  getConfig(): Record<string, unknown> {
    // Keras stores the axis as a tuple.
    return { axis: [this.axis], mean: this.fixedMean ?? null, variance: this.fixedVariance ?? null, invert: this.invert };
  }
}

/** Keras writes axis as a tuple ([-1]); a bare number is read too. null (one statistic for everything) is not supported. */
function axisOption(c: Config, where: string): number {
  const v = c['axis'] ?? -1;
  const axis = Array.isArray(v) && v.length === 1 ? v[0] : v;
  if (!Number.isInteger(axis)) throw new Error(`${where}: config.axis must be an integer or a list of one (only the last axis is supported), got ${JSON.stringify(v)}`);
  return axis as number;
}

registerLayer('Normalization', (c, where) => {
  const args: NormalizationArgs = { axis: axisOption(c, where), ...commonArgs(c) };
  if (c['mean'] !== undefined && c['mean'] !== null) args.mean = c['mean'] as number;
  if (c['variance'] !== undefined && c['variance'] !== null) args.variance = c['variance'] as number;
  if (c['invert'] !== undefined && c['invert'] !== null) args.invert = c['invert'] as boolean;
  return new Normalization(args);
});
