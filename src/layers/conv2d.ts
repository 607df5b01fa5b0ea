import { activationBackward, activationForward, biasActivationForward, checkActivation, fusedActivationCode, needsPreActivation, type ActivationName } from '../activations.js';
import { Act, type Ptr, type Window2D } from '../kernels/kernels.js';
import type { InitializerName } from '../init.js';
import type { MemoryPlan } from '../memory-plan.js';
import type { Shape } from '../tensor.js';
import { Layer, layerLabel, type LayerArgs, type Padding, type Param, type StepContext } from './layer.js';
import { commonArgs, expectDefault, initializerOption, kernelBiasConfig, numberOption } from './config.js';
import { convWindow, convWindowConfig, convWindowFromConfig, type ConvWindowArgs } from './conv-window-options.js';
import { registerLayer } from './registry.js';

export interface Conv2DArgs extends LayerArgs, ConvWindowArgs {
  filters: number;
  activation?: ActivationName;
  useBias?: boolean;
  kernelInitializer?: InitializerName;
  biasInitializer?: InitializerName;
}

/**
 * 2-D convolution over NHWC input with a [kh, kw, inC, filters] kernel: y = act(cols·W + b)
 * with cols = im2col(x), one fused backend kernel (conv2d). Backward: dW = colsᵀ·dZ
 * (conv2dBackwardFilter), dX = col2im(dZ·Wᵀ) (conv2dBackwardInput). A dilated kernel
 * (dilationRate) reads taps that many pixels apart; the backends' plans run it by columns.
 */
export class Conv2D extends Layer {
  readonly className = 'Conv2D';
  readonly filters: number;
  readonly kernelSize: [number, number];
  readonly strides: [number, number];
  readonly padding: Padding;
  readonly dilationRate: [number, number];
  readonly activation: ActivationName;
  readonly useBias: boolean;
  private readonly kernelInitializer: InitializerName;
  private readonly biasInitializer: InitializerName;
  private g!: Window2D;
  private y: Ptr = -1;
  private x: Ptr = -1;
  /** conv(x)·W + b, kept only for activations whose derivative needs it (needsPreActivation). */
  private z: Ptr = -1;

  constructor(args: Conv2DArgs) {
    super(args);
    const where = layerLabel('Conv2D', args.name);
    if (!Number.isInteger(args.filters) || args.filters <= 0) throw new Error(`${where}: filters must be a positive integer, got ${args.filters}`);
    this.filters = args.filters;
    ({ kernelSize: this.kernelSize, strides: this.strides, padding: this.padding, dilationRate: this.dilationRate } = convWindow(args, where));
    this.activation = checkActivation(args.activation, where);
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = args.kernelInitializer ?? 'glorotUniform';
    this.biasInitializer = args.biasInitializer ?? 'zeros';
  }

  override get outputActivation(): ActivationName {
    return this.activation;
  }

  protected computeOutputShape(inputShape: Shape): Shape {
    this.g = this.windowGeometry(inputShape, this.kernelSize, this.strides, this.padding, 'kernel', this.dilationRate);
    return [this.g.oh, this.g.ow, this.filters];
  }

  protected override declareParams(): Param[] {
    const c = this.inputShape[2]!;
    const kernel = this.newParam('kernel', [...this.kernelSize, c, this.filters], this.kernelInitializer);
    return this.useBias ? [kernel, this.newParam('bias', [this.filters], this.biasInitializer)] : [kernel];
  }

  /** A 1x1 stride-1 unpadded conv is a plain GEMM on the input: no unfolding needed. */
  private get pointwise(): boolean {
    const g = this.g;
    return g.kh === 1 && g.kw === 1 && g.sh === 1 && g.sw === 1 && g.padTop === 0 && g.padLeft === 0;
  }

  private get patchSize(): number {
    return this.g.kh * this.g.kw * this.g.c;
  }

  override plan(memory: MemoryPlan, maxBatch: number): void {
    this.y = memory.alloc(maxBatch * this.g.oh * this.g.ow * this.filters);
    this.z = needsPreActivation(this.activation) ? memory.alloc(maxBatch * this.g.oh * this.g.ow * this.filters) : -1;
  }

  override scratchSize(maxBatch: number): number {
    return this.pointwise ? 0 : maxBatch * this.g.oh * this.g.ow * this.patchSize;
  }

  forward(ctx: StepContext, x: Ptr, batch: number): Ptr {
    const b = ctx.backend;
    const rows = batch * this.g.oh * this.g.ow;
    this.x = x;
    const bias = this.useBias ? this.param('bias').ptr : -1;
    const z = this.z >= 0 ? this.z : this.y;
    if (this.pointwise) {
      b.gemm(false, false, rows, this.filters, this.patchSize, x, this.param('kernel').ptr, z, false);
      biasActivationForward(b, this.activation, z, bias, rows, this.filters, this.y);
      return this.y;
    }
    // One fused kernel: unfold, GEMM, bias, activation (WASM never writes the unfolded batch);
    // softmax and the activations that keep their input are applied after it.
    this.g.n = batch;
    const fused = fusedActivationCode(this.activation);
    b.conv2d(x, this.param('kernel').ptr, bias, z, this.g, this.filters, fused, ctx.scratch);
    if (fused === Act.linear && this.activation !== 'linear') activationForward(b, this.activation, z, this.y, rows, this.filters);
    return this.y;
  }

  backward(ctx: StepContext, dy: Ptr, dx: Ptr | null, batch: number): Ptr | null {
    const b = ctx.backend;
    const rows = batch * this.g.oh * this.g.ow;
    const kernel = this.param('kernel');
    if (!this.lossGivesPreActivationGrad) activationBackward(b, this.activation, this.y, dy, dy, rows, this.filters, this.z);
    const paramGrads = this.computesParamGrads;
    if (paramGrads && this.useBias) b.biasGrad(dy, this.param('bias').grad, rows, this.filters, false);
    if (this.pointwise) {
      if (paramGrads) b.gemm(true, false, this.patchSize, this.filters, rows, this.x, dy, kernel.grad, false);
      if (dx === null) return null;
      b.gemm(false, true, rows, this.g.c, this.filters, dy, kernel.ptr, dx, false);
      return dx;
    }
    // dW = im2col(x)ᵀ·dZ and dX = col2im(dZ·Wᵀ), each one backend kernel (WASM never writes the columns).
    this.g.n = batch;
    if (paramGrads) b.conv2dBackwardFilter(this.x, dy, kernel.grad, this.g, this.filters, ctx.scratch);
    if (dx === null) return null;
    b.conv2dBackwardInput(dy, kernel.ptr, dx, this.g, this.filters, ctx.scratch);
    return dx;
  }

  getConfig(): Record<string, unknown> {
    return {
      filters: this.filters,
      ...convWindowConfig(this),
      activation: this.activation,
      ...kernelBiasConfig(this.useBias, this.kernelInitializer, this.biasInitializer),
    };
  }
}

registerLayer('Conv2D', (c, where) => {
  expectDefault(c, 'groups', 1, where);
  return new Conv2D({
    filters: numberOption(c, 'filters', where),
    ...convWindowFromConfig(c),
    activation: checkActivation(c['activation'], where),
    useBias: (c['use_bias'] ?? true) as boolean,
    kernelInitializer: initializerOption(c['kernel_initializer'], 'glorotUniform', where),
    biasInitializer: initializerOption(c['bias_initializer'], 'zeros', where),
    ...commonArgs(c),
  });
});
