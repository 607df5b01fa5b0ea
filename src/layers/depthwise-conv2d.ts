import { activationBackward, biasActivationForward, checkActivation, type ActivationName } from '../activations.js';
import type { Ptr, Window2D } from '../kernels/kernels.js';
import type { InitializerName } from '../init.js';
import type { MemoryPlan } from '../memory-plan.js';
import type { Shape } from '../tensor.js';
import { Layer, layerLabel, type LayerArgs, type Padding, type Param, type StepContext } from './layer.js';
import { commonArgs, initializerConfig, initializerOption } from './config.js';
import { convWindow, convWindowConfig, convWindowFromConfig, type ConvWindowArgs } from './conv-window-options.js';
import { registerLayer } from './registry.js';

export interface DepthwiseConv2DArgs extends LayerArgs, ConvWindowArgs {
  /** Filters per input channel: the output has channels × depthMultiplier channels. */
  depthMultiplier?: number;
  activation?: ActivationName;
  useBias?: boolean;
  depthwiseInitializer?: InitializerName;
  biasInitializer?: InitializerName;
}

/** Reads and checks depthMultiplier (a positive integer, 1 when absent). */
export function depthMultiplierOption(v: unknown, where: string): number {
  if (v === undefined || v === null) return 1;
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) throw new Error(`${where}: depthMultiplier must be a positive integer, got ${JSON.stringify(v)}`);
  return v;
}

/** The depthwise kernel's part of a Keras config (DepthwiseConv2D and SeparableConv2D). */
export function depthwiseKernelConfig(depthMultiplier: number, initializer: InitializerName): Record<string, unknown> {
  return {
    depth_multiplier: depthMultiplier,
    depthwise_initializer: initializerConfig(initializer),
    depthwise_regularizer: null,
    depthwise_constraint: null,
  };
}

/**
 * Depthwise 2-D convolution over NHWC input: each input channel is convolved with its own
 * depthMultiplier filters from the [kh, kw, inC, depthMultiplier] depthwise_kernel, output channel
 * ch·depthMultiplier + j; then bias and activation. MobileNet's spatial filter: kh·kw multiply-adds
 * per output value instead of Conv2D's kh·kw·inC.
 */
export class DepthwiseConv2D extends Layer {
  readonly className = 'DepthwiseConv2D';
  readonly kernelSize: [number, number];
  readonly strides: [number, number];
  readonly padding: Padding;
  readonly dilationRate: [number, number];
  readonly depthMultiplier: number;
  readonly activation: ActivationName;
  readonly useBias: boolean;
  private readonly depthwiseInitializer: InitializerName;
  private readonly biasInitializer: InitializerName;
  private g!: Window2D;
  private y: Ptr = -1;
  private x: Ptr = -1;

  constructor(args: DepthwiseConv2DArgs) {
    super(args);
    const where = layerLabel('DepthwiseConv2D', args.name);
    ({ kernelSize: this.kernelSize, strides: this.strides, padding: this.padding, dilationRate: this.dilationRate } = convWindow(args, where));
    this.depthMultiplier = depthMultiplierOption(args.depthMultiplier, where);
    this.activation = checkActivation(args.activation, where);
    this.useBias = args.useBias ?? true;
    this.depthwiseInitializer = args.depthwiseInitializer ?? 'glorotUniform';
    this.biasInitializer = args.biasInitializer ?? 'zeros';
  }

  override get outputActivation(): ActivationName {
    return this.activation;
  }

  private get outChannels(): number {
    return this.g.c * this.depthMultiplier;
  }

  protected computeOutputShape(inputShape: Shape): Shape {
    this.g = this.windowGeometry(inputShape, this.kernelSize, this.strides, this.padding, 'kernel', this.dilationRate);
    return [this.g.oh, this.g.ow, this.outChannels];
  }

  protected override declareParams(): Param[] {
    const kernel = this.newParam('depthwise_kernel', [...this.kernelSize, this.g.c, this.depthMultiplier], this.depthwiseInitializer);
    return this.useBias ? [kernel, this.newParam('bias', [this.outChannels], this.biasInitializer)] : [kernel];
  }

  override plan(memory: MemoryPlan, maxBatch: number): void {
    this.y = memory.alloc(maxBatch * this.g.oh * this.g.ow * this.outChannels);
  }

  forward(ctx: StepContext, x: Ptr, batch: number): Ptr {
    const b = ctx.backend;
    this.x = x;
    this.g.n = batch;
    b.depthwiseConv2d(x, this.param('depthwise_kernel').ptr, this.y, this.g, this.depthMultiplier);
    const bias = this.useBias ? this.param('bias').ptr : -1;
    biasActivationForward(b, this.activation, this.y, bias, batch * this.g.oh * this.g.ow, this.outChannels);
    return this.y;
  }

  backward(ctx: StepContext, dy: Ptr, dx: Ptr | null, batch: number): Ptr | null {
    const b = ctx.backend;
    const rows = batch * this.g.oh * this.g.ow;
    const kernel = this.param('depthwise_kernel');
    if (!this.lossGivesPreActivationGrad) activationBackward(b, this.activation, this.y, dy, dy, rows, this.outChannels);
    this.g.n = batch;
    if (this.computesParamGrads) {
      if (this.useBias) b.biasGrad(dy, this.param('bias').grad, rows, this.outChannels, false);
      b.depthwiseConv2dBackwardFilter(this.x, dy, kernel.grad, this.g, this.depthMultiplier);
    }
    if (dx === null) return null;
    b.depthwiseConv2dBackwardInput(dy, kernel.ptr, dx, this.g, this.depthMultiplier);
    return dx;
  }

  getConfig(): Record<string, unknown> {
    return {
      ...convWindowConfig(this),
      activation: this.activation,
      use_bias: this.useBias,
      ...depthwiseKernelConfig(this.depthMultiplier, this.depthwiseInitializer),
      bias_initializer: initializerConfig(this.biasInitializer),
      bias_regularizer: null,
      activity_regularizer: null,
      bias_constraint: null,
    };
  }
}

registerLayer('DepthwiseConv2D', (c, where) => {
  return new DepthwiseConv2D({
    ...convWindowFromConfig(c),
    depthMultiplier: depthMultiplierOption(c['depth_multiplier'], where),
    activation: checkActivation(c['activation'], where),
    useBias: (c['use_bias'] ?? true) as boolean,
    depthwiseInitializer: initializerOption(c['depthwise_initializer'], 'glorotUniform', where),
    biasInitializer: initializerOption(c['bias_initializer'], 'zeros', where),
    ...commonArgs(c),
  });
});
