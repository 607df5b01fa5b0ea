import { activationBackward, biasActivationForward, checkActivation, type ActivationName } from '../activations.js';
import type { Ptr, Window2D } from '../kernels/kernels.js';
import type { InitializerName } from '../init.js';
import type { MemoryPlan } from '../memory-plan.js';
import type { Shape } from '../tensor.js';
import { Layer, layerLabel, type LayerArgs, type Padding, type Param, type StepContext } from './layer.js';
import { commonArgs, initializerConfig, initializerOption, numberOption } from './config.js';
import { convWindow, convWindowConfig, convWindowFromConfig, type ConvWindowArgs } from './conv-window-options.js';
import { depthMultiplierOption, depthwiseKernelConfig } from './depthwise-conv2d.js';
import { registerLayer } from './registry.js';

export interface SeparableConv2DArgs extends LayerArgs, ConvWindowArgs {
  filters: number;
  depthMultiplier?: number;
  activation?: ActivationName;
  useBias?: boolean;
  depthwiseInitializer?: InitializerName;
  pointwiseInitializer?: InitializerName;
  biasInitializer?: InitializerName;
}

/**
 * Depthwise separable 2-D convolution: the depthwise convolution (as DepthwiseConv2D, without
 * bias) into an intermediate map of inC·depthMultiplier channels, then a 1x1 convolution by the
 * [1, 1, inC·depthMultiplier, filters] pointwise_kernel (one GEMM on the NHWC map), bias and
 * activation. Backward: the pointwise GEMMs give dW and d(intermediate), which the depthwise
 * kernels take back to the depthwise kernel and the input.
 */
export class SeparableConv2D extends Layer {
  readonly className = 'SeparableConv2D';
  readonly filters: number;
  readonly kernelSize: [number, number];
  readonly strides: [number, number];
  readonly padding: Padding;
  readonly dilationRate: [number, number];
  readonly depthMultiplier: number;
  readonly activation: ActivationName;
  readonly useBias: boolean;
  private readonly depthwiseInitializer: InitializerName;
  private readonly pointwiseInitializer: InitializerName;
  private readonly biasInitializer: InitializerName;
  private g!: Window2D;
  private x: Ptr = -1;
  private mid: Ptr = -1;
  private y: Ptr = -1;

  constructor(args: SeparableConv2DArgs) {
    super(args);
    const where = layerLabel('SeparableConv2D', args.name);
    if (!Number.isInteger(args.filters) || args.filters <= 0) throw new Error(`${where}: filters must be a positive integer, got ${args.filters}`);
    this.filters = args.filters;
    ({ kernelSize: this.kernelSize, strides: this.strides, padding: this.padding, dilationRate: this.dilationRate } = convWindow(args, where));
    this.depthMultiplier = depthMultiplierOption(args.depthMultiplier, where);
    this.activation = checkActivation(args.activation, where);
    this.useBias = args.useBias ?? true;
    this.depthwiseInitializer = args.depthwiseInitializer ?? 'glorotUniform';
    this.pointwiseInitializer = args.pointwiseInitializer ?? 'glorotUniform';
    this.biasInitializer = args.biasInitializer ?? 'zeros';
  }

  override get outputActivation(): ActivationName {
    return this.activation;
  }

  /** Channels of the intermediate (depthwise) map. */
  private get midChannels(): number {
    return this.g.c * this.depthMultiplier;
  }

  protected computeOutputShape(inputShape: Shape): Shape {
    this.g = this.windowGeometry(inputShape, this.kernelSize, this.strides, this.padding, 'kernel', this.dilationRate);
    return [this.g.oh, this.g.ow, this.filters];
  }

  protected override declareParams(): Param[] {
    const params = [
      this.newParam('depthwise_kernel', [...this.kernelSize, this.g.c, this.depthMultiplier], this.depthwiseInitializer),
      this.newParam('pointwise_kernel', [1, 1, this.midChannels, this.filters], this.pointwiseInitializer),
    ];
    return this.useBias ? [...params, this.newParam('bias', [this.filters], this.biasInitializer)] : params;
  }

  override plan(memory: MemoryPlan, maxBatch: number): void {
    const pixels = maxBatch * this.g.oh * this.g.ow;
    this.mid = memory.alloc(pixels * this.midChannels);
    this.y = memory.alloc(pixels * this.filters);
  }

  /** Backward's gradient with respect to the intermediate map. */
  override scratchSize(maxBatch: number): number {
    return maxBatch * this.g.oh * this.g.ow * this.midChannels;
  }

  forward(ctx: StepContext, x: Ptr, batch: number): Ptr {
    const b = ctx.backend;
    const rows = batch * this.g.oh * this.g.ow;
    this.x = x;
    this.g.n = batch;
    b.depthwiseConv2d(x, this.param('depthwise_kernel').ptr, this.mid, this.g, this.depthMultiplier);
    b.gemm(false, false, rows, this.filters, this.midChannels, this.mid, this.param('pointwise_kernel').ptr, this.y, false);
    biasActivationForward(b, this.activation, this.y, this.useBias ? this.param('bias').ptr : -1, rows, this.filters);
    return this.y;
  }

  backward(ctx: StepContext, dy: Ptr, dx: Ptr | null, batch: number): Ptr | null {
    const b = ctx.backend;
    const rows = batch * this.g.oh * this.g.ow;
    const depthwise = this.param('depthwise_kernel');
    const pointwise = this.param('pointwise_kernel');
    const paramGrads = this.computesParamGrads;
    if (!this.lossGivesPreActivationGrad) activationBackward(b, this.activation, this.y, dy, dy, rows, this.filters);
    if (paramGrads) {
      if (this.useBias) b.biasGrad(dy, this.param('bias').grad, rows, this.filters, false);
      b.gemm(true, false, this.midChannels, this.filters, rows, this.mid, dy, pointwise.grad, false);
    }
    if (!paramGrads && dx === null) return null;
    const dMid = ctx.scratch;
    b.gemm(false, true, rows, this.midChannels, this.filters, dy, pointwise.ptr, dMid, false);
    this.g.n = batch;
    if (paramGrads) b.depthwiseConv2dBackwardFilter(this.x, dMid, depthwise.grad, this.g, this.depthMultiplier);
    if (dx === null) return null;
    b.depthwiseConv2dBackwardInput(dMid, depthwise.ptr, dx, this.g, this.depthMultiplier);
    return dx;
  }

  getConfig(): Record<string, unknown> {
    return {
      filters: this.filters,
      ...convWindowConfig(this),
      activation: this.activation,
      use_bias: this.useBias,
      ...depthwiseKernelConfig(this.depthMultiplier, this.depthwiseInitializer),
      pointwise_initializer: initializerConfig(this.pointwiseInitializer),
      pointwise_regularizer: null,
      pointwise_constraint: null,
      bias_initializer: initializerConfig(this.biasInitializer),
      bias_regularizer: null,
      activity_regularizer: null,
      bias_constraint: null,
    };
  }
}

registerLayer('SeparableConv2D', (c, where) => {
  return new SeparableConv2D({
    filters: numberOption(c, 'filters', where),
    ...convWindowFromConfig(c),
    depthMultiplier: depthMultiplierOption(c['depth_multiplier'], where),
    activation: checkActivation(c['activation'], where),
    useBias: (c['use_bias'] ?? true) as boolean,
    depthwiseInitializer: initializerOption(c['depthwise_initializer'], 'glorotUniform', where),
    pointwiseInitializer: initializerOption(c['pointwise_initializer'], 'glorotUniform', where),
    biasInitializer: initializerOption(c['bias_initializer'], 'zeros', where),
    ...commonArgs(c),
  });
});
