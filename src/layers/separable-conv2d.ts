import { activationBackward, biasActivationForward } from '../activations.js';
import type { Ptr } from '../kernels/kernels.js';
import type { InitializerName } from '../init.js';
import type { MemoryPlan } from '../memory-plan.js';
import type { Shape } from '../tensor.js';
import { layerLabel, type Param, type StepContext } from './layer.js';
import { commonArgs, initializerConfig, initializerOption, numberOption } from './config.js';
import { DepthwiseWindowLayer, depthwiseWindowArgs, type DepthwiseWindowArgs } from './depthwise-window-layer.js';
import { registerLayer } from './registry.js';

export interface SeparableConv2DArgs extends DepthwiseWindowArgs {
  filters: number;
  pointwiseInitializer?: InitializerName;
}

/**
 * Depthwise separable 2-D convolution: the depthwise convolution (as DepthwiseConv2D, without
 * bias) into an intermediate map of inC·depthMultiplier channels, then a 1x1 convolution by the
 * [1, 1, inC·depthMultiplier, filters] pointwise_kernel (one GEMM on the NHWC map), bias and
 * activation. Backward: the pointwise GEMMs give dW and d(intermediate), which the depthwise
 * kernels take back to the depthwise kernel and the input.
 */
export class SeparableConv2D extends DepthwiseWindowLayer {
  readonly className = 'SeparableConv2D';
  readonly filters: number;
  private readonly pointwiseInitializer: InitializerName;
  private mid: Ptr = -1;
  private y: Ptr = -1;

  constructor(args: SeparableConv2DArgs) {
    super('SeparableConv2D', args);
    const where = layerLabel('SeparableConv2D', args.name);
    if (!Number.isInteger(args.filters) || args.filters <= 0) throw new Error(`${where}: filters must be a positive integer, got ${args.filters}`);
    this.filters = args.filters;
    this.pointwiseInitializer = args.pointwiseInitializer ?? 'glorotUniform';
  }

  protected computeOutputShape(inputShape: Shape): Shape {
    const g = this.planWindow(inputShape);
    return [g.oh, g.ow, this.filters];
  }

  protected override declareParams(): Param[] {
    const params = [this.depthwiseKernel(), this.newParam('pointwise_kernel', [1, 1, this.depthwiseChannels, this.filters], this.pointwiseInitializer)];
    return this.useBias ? [...params, this.newParam('bias', [this.filters], this.biasInitializer)] : params;
  }

  override plan(memory: MemoryPlan, maxBatch: number): void {
    const pixels = maxBatch * this.g.oh * this.g.ow;
    this.mid = memory.alloc(pixels * this.depthwiseChannels);
    this.y = memory.alloc(pixels * this.filters);
  }

  /** Backward's gradient with respect to the intermediate map. */
  override scratchSize(maxBatch: number): number {
    return maxBatch * this.g.oh * this.g.ow * this.depthwiseChannels;
  }

  forward(ctx: StepContext, x: Ptr, batch: number): Ptr {
    const b = ctx.backend;
    const rows = batch * this.g.oh * this.g.ow;
    this.x = x;
    this.g.n = batch;
    b.depthwiseConv2d(x, this.param('depthwise_kernel').ptr, this.mid, this.g, this.depthMultiplier);
    b.gemm(false, false, rows, this.filters, this.depthwiseChannels, this.mid, this.param('pointwise_kernel').ptr, this.y, false);
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
      b.gemm(true, false, this.depthwiseChannels, this.filters, rows, this.mid, dy, pointwise.grad, false);
    }
    if (!paramGrads && dx === null) return null;
    const dMid = ctx.scratch;
    b.gemm(false, true, rows, this.depthwiseChannels, this.filters, dy, pointwise.ptr, dMid, false);
    this.g.n = batch;
    if (paramGrads) b.depthwiseConv2dBackwardFilter(this.x, dMid, depthwise.grad, this.g, this.depthMultiplier);
    if (dx === null) return null;
    b.depthwiseConv2dBackwardInput(dMid, depthwise.ptr, dx, this.g, this.depthMultiplier);
    return dx;
  }

  getConfig(): Record<string, unknown> {
    return {
      filters: this.filters,
      ...this.depthwiseConfig(),
      pointwise_initializer: initializerConfig(this.pointwiseInitializer),
      pointwise_regularizer: null,
      pointwise_constraint: null,
    };
  }
}

registerLayer('SeparableConv2D', (c, where) => {
  return new SeparableConv2D({
    filters: numberOption(c, 'filters', where),
    ...depthwiseWindowArgs(c, where),
    pointwiseInitializer: initializerOption(c['pointwise_initializer'], 'glorotUniform', where),
    ...commonArgs(c),
  });
});
