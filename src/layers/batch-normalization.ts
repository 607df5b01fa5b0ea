import type { ActivationName } from '../activations.js';
import type { InitializerName } from '../init.js';
import type { Ptr } from '../kernels/kernels.js';
import type { MemoryPlan } from '../memory-plan.js';
import { shapeSize, type Shape } from '../tensor.js';
import { commonArgs, expectDefault, initializerConfig, initializerOption, type Config } from './config.js';
import { Layer, layerLabel, type LayerArgs, type Param, type State, type StepContext } from './layer.js';
import { registerLayer } from './registry.js';

export interface BatchNormalizationArgs extends LayerArgs {
  /** The normalized axis: -1 (default) or its positive index counted with the batch axis; only the last axis is supported. */
  axis?: number;
  /** Weight of the old moving statistics in each update (default 0.99). */
  momentum?: number;
  /** Added to the variance before its square root (default 1e-3). */
  epsilon?: number;
  /** Learn an offset beta (default true). */
  center?: boolean;
  /** Learn a factor gamma (default true). */
  scale?: boolean;
  betaInitializer?: InitializerName;
  gammaInitializer?: InitializerName;
  movingMeanInitializer?: InitializerName;
  movingVarianceInitializer?: InitializerName;
}

/**
 * Keras' BatchNormalization over the last (channel) axis: y = (x − mean)/√(variance + ε)·γ + β.
 * Training uses the batch's mean and biased variance and moves the moving statistics toward
 * them (moving = moving·momentum + batch·(1 − momentum)); inference uses the moving ones.
 * With `trainable = false` the layer runs in inference mode during fit too, as in Keras (TF.js
 * 4.22 keeps using batch statistics there), so a frozen layer changes nothing, not even its
 * moving statistics.
 *
 * A relu layer right after it is applied here, in the same passes over the activations
 * (absorbFollowingActivation): the forward writes max(y, 0) and the backward lets dy through
 * where (x − mean)·γ/√(variance + ε) + β > 0, recomputed from x rather than read from y (one
 * array fewer to stream).
 */
export class BatchNormalization extends Layer {
  readonly className = 'BatchNormalization';
  readonly axis: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  private readonly initializers: { beta: InitializerName; gamma: InitializerName; movingMean: InitializerName; movingVariance: InitializerName };
  private channels = 0;
  private x: Ptr = -1;
  private y: Ptr = -1;
  /** The batch's mean and variance (training) and γ/√(variance + ε) per channel (every pass). */
  private batchMean: Ptr = -1;
  private batchVariance: Ptr = -1;
  private factor: Ptr = -1;
  /** Column sums of backward, then turned in place into channelCombine's q and shift. */
  private sumDy: Ptr = -1;
  private sumDyXc: Ptr = -1;
  /** Whether the last forward normalized with the batch's statistics (its backward must match). */
  private usedBatchStatistics = false;
  /** Whether this layer applies the relu of the activation layer after it (model/activation-absorption.ts). */
  private fusedRelu = false;

  constructor(args: BatchNormalizationArgs = {}) {
    super(args);
    const where = layerLabel('BatchNormalization', args.name);
    this.axis = args.axis ?? -1;
    if (!Number.isInteger(this.axis)) throw new Error(`${where}: axis must be an integer, got ${JSON.stringify(args.axis)}`);
    this.momentum = args.momentum ?? 0.99;
    if (typeof this.momentum !== 'number' || !(this.momentum >= 0 && this.momentum <= 1)) {
      throw new Error(`${where}: momentum must be a number in [0, 1], got ${JSON.stringify(args.momentum)}`);
    }
    this.epsilon = args.epsilon ?? 1e-3;
    if (typeof this.epsilon !== 'number' || !(this.epsilon > 0) || !Number.isFinite(this.epsilon)) {
      throw new Error(`${where}: epsilon must be a positive number, got ${JSON.stringify(args.epsilon)}`);
    }
    this.center = checkBoolean(args.center, 'center', where);
    this.scale = checkBoolean(args.scale, 'scale', where);
    this.initializers = {
      beta: args.betaInitializer ?? 'zeros',
      gamma: args.gammaInitializer ?? 'ones',
      movingMean: args.movingMeanInitializer ?? 'zeros',
      movingVariance: args.movingVarianceInitializer ?? 'ones',
    };
  }

  override absorbFollowingActivation(activation: ActivationName): boolean {
    this.fusedRelu = activation === 'relu';
    return this.fusedRelu;
  }

  protected computeOutputShape(inputShape: Shape): Shape {
    if (inputShape.length === 0) throw this.shapeError(inputShape, 'needs an input with at least one axis per sample');
    // Counted with the batch axis, as Keras does: the last axis of a [batch, h, w, c] input is 3.
    if (this.axis !== -1 && this.axis !== inputShape.length) {
      throw this.shapeError(inputShape, `normalizes only the last (channel) axis: axis must be -1 or ${inputShape.length}, got ${this.axis}`);
    }
    this.channels = inputShape[inputShape.length - 1]!;
    return [...inputShape];
  }

  protected override declareParams(): Param[] {
    const out: Param[] = [];
    if (this.scale) out.push(this.newParam('gamma', [this.channels], this.initializers.gamma));
    if (this.center) out.push(this.newParam('beta', [this.channels], this.initializers.beta));
    return out;
  }

  protected override declareState(): State[] {
    return [
      this.newState('moving_mean', [this.channels], this.initializers.movingMean),
      this.newState('moving_variance', [this.channels], this.initializers.movingVariance),
    ];
  }

  override plan(memory: MemoryPlan, maxBatch: number): void {
    this.y = memory.alloc(maxBatch * shapeSize(this.inputShape));
    this.batchMean = memory.alloc(this.channels);
    this.batchVariance = memory.alloc(this.channels);
    this.factor = memory.alloc(this.channels);
    this.sumDy = memory.alloc(this.channels);
    this.sumDyXc = memory.alloc(this.channels);
  }

  /** Where β is, or -1 without center. */
  private get beta(): Ptr {
    return this.center ? this.param('beta').ptr : -1;
  }

  private rows(batch: number): number {
    return (batch * shapeSize(this.inputShape)) / this.channels;
  }

  forward(ctx: StepContext, x: Ptr, batch: number): Ptr {
    const b = ctx.backend;
    const rows = this.rows(batch);
    const [movingMean, movingVariance] = this.state as [State, State];
    this.x = x;
    this.usedBatchStatistics = ctx.training && this.trainable;
    let mean = movingMean.ptr;
    let variance = movingVariance.ptr;
    if (this.usedBatchStatistics) {
      mean = this.batchMean;
      variance = this.batchVariance;
      b.channelMoments(x, mean, variance, rows, this.channels);
      const f = b.f32();
      const keep = this.momentum;
      for (let c = 0; c < this.channels; c++) {
        f[movingMean.ptr + c] = f[movingMean.ptr + c]! * keep + f[mean + c]! * (1 - keep);
        f[movingVariance.ptr + c] = f[movingVariance.ptr + c]! * keep + f[variance + c]! * (1 - keep);
      }
    }
    const f = b.f32();
    const gamma = this.scale ? this.param('gamma').ptr : -1;
    for (let c = 0; c < this.channels; c++) {
      f[this.factor + c] = (gamma < 0 ? 1 : f[gamma + c]!) / Math.sqrt(f[variance + c]! + this.epsilon);
    }
    if (this.fusedRelu) b.channelAffineRelu(x, this.y, mean, this.factor, this.beta, rows, this.channels);
    else b.channelAffine(x, this.y, mean, this.factor, this.beta, rows, this.channels);
    return this.y;
  }

  backward(ctx: StepContext, dy: Ptr, dx: Ptr | null, batch: number): Ptr | null {
    const b = ctx.backend;
    const rows = this.rows(batch);
    const channels = this.channels;
    // With the relu fused, dy counts only where the forward's value before the relu was positive.
    const gateScale = this.fusedRelu ? this.factor : -1;
    if (!this.usedBatchStatistics) {
      // Inference mode (a frozen layer): an affine map per channel, dx = dy·γ/√(moving variance + ε).
      if (dx === null) return null;
      if (!this.fusedRelu) {
        b.channelAffine(dy, dx, -1, this.factor, -1, rows, channels);
        return dx;
      }
      // The gated form of the same map: channelCombine with q = shift = 0.
      b.f32().fill(0, this.sumDy, this.sumDy + channels);
      b.channelCombine(dy, this.x, this.state[0]!.ptr /* moving_mean */, dx, this.factor, this.sumDy, this.sumDy, rows, channels, gateScale, this.beta);
      return dx;
    }
    b.channelGradSums(dy, this.x, this.batchMean, this.sumDy, this.sumDyXc, rows, channels, gateScale, this.beta);
    const f = b.f32();
    const gamma = this.scale ? this.param('gamma') : undefined;
    const beta = this.center ? this.param('beta') : undefined;
    for (let c = 0; c < channels; c++) {
      const invStd = 1 / Math.sqrt(f[this.batchVariance + c]! + this.epsilon);
      const sumDy = f[this.sumDy + c]!;
      const sumDyXc = f[this.sumDyXc + c]!;
      if (this.computesParamGrads) {
        if (gamma) f[gamma.grad + c] = sumDyXc * invStd;
        if (beta) f[beta.grad + c] = sumDy;
      }
      // dx = γ·s·(dy − Σdy/N − x̂·Σ(dy·x̂)/N) with s = 1/√(var + ε), x̂ = (x − mean)·s:
      // dy·(γs) + (x − mean)·(−γs³·Σdy(x − mean)/N) + (−γs·Σdy/N).
      const gs = f[this.factor + c]!;
      f[this.sumDyXc + c] = (-gs * invStd * invStd * sumDyXc) / rows;
      f[this.sumDy + c] = (-gs * sumDy) / rows;
    }
    if (dx === null) return null;
    b.channelCombine(dy, this.x, this.batchMean, dx, this.factor, this.sumDyXc, this.sumDy, rows, channels, gateScale, this.beta);
    return dx;
  }

  getConfig(): Record<string, unknown> {
    return {
      axis: this.axis,
      momentum: this.momentum,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      beta_initializer: initializerConfig(this.initializers.beta),
      gamma_initializer: initializerConfig(this.initializers.gamma),
      moving_mean_initializer: initializerConfig(this.initializers.movingMean),
      moving_variance_initializer: initializerConfig(this.initializers.movingVariance),
      beta_regularizer: null,
      gamma_regularizer: null,
      beta_constraint: null,
      gamma_constraint: null,
    };
  }
}

function checkBoolean(v: unknown, key: string, where: string): boolean {
  if (v === undefined) return true;
  if (typeof v !== 'boolean') throw new Error(`${where}: ${key} must be true or false, got ${JSON.stringify(v)}`);
  return v;
}

/** Keras writes axis as a number, Keras 3 sometimes as a one-element list. */
function axisOption(c: Config, where: string): number {
  const v = c['axis'] ?? -1;
  const axis = Array.isArray(v) && v.length === 1 ? v[0] : v;
  if (!Number.isInteger(axis)) throw new Error(`${where}: config.axis must be an integer (or a list of one), got ${JSON.stringify(v)}`);
  return axis as number;
}

function optionalNumber(c: Config, key: string, where: string): number | undefined {
  const v = c[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number') throw new Error(`${where}: config.${key} must be a number, got ${JSON.stringify(v)}`);
  return v;
}

function optionalBoolean(c: Config, key: string, where: string): boolean | undefined {
  const v = c[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw new Error(`${where}: config.${key} must be true or false, got ${JSON.stringify(v)}`);
  return v;
}

registerLayer('BatchNormalization', (c, where) => {
  // Options that change what is computed and that wasmnn does not implement.
  expectDefault(c, 'renorm', false, where);
  for (const key of ['virtual_batch_size', 'adjustment']) {
    if (c[key] !== undefined && c[key] !== null) throw new Error(`${where}: ${key} ${JSON.stringify(c[key])} is not supported (only null)`);
  }
  const momentum = optionalNumber(c, 'momentum', where);
  const epsilon = optionalNumber(c, 'epsilon', where);
  const center = optionalBoolean(c, 'center', where);
  const scale = optionalBoolean(c, 'scale', where);
  return new BatchNormalization({
    axis: axisOption(c, where),
    ...(momentum === undefined ? {} : { momentum }),
    ...(epsilon === undefined ? {} : { epsilon }),
    ...(center === undefined ? {} : { center }),
    ...(scale === undefined ? {} : { scale }),
    betaInitializer: initializerOption(c['beta_initializer'], 'zeros', where),
    gammaInitializer: initializerOption(c['gamma_initializer'], 'ones', where),
    movingMeanInitializer: initializerOption(c['moving_mean_initializer'], 'zeros', where),
    movingVarianceInitializer: initializerOption(c['moving_variance_initializer'], 'ones', where),
    ...commonArgs(c),
  });
});
