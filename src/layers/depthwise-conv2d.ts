import { activationBackward, biasActivationForward } from '../activations.js';
import type { Ptr } from '../kernels/kernels.js';
import type { MemoryPlan } from '../memory-plan.js';
import type { Shape } from '../tensor.js';
import type { Param, StepContext } from './layer.js';
import { commonArgs } from './config.js';
import { DepthwiseWindowLayer, depthwiseWindowArgs, type DepthwiseWindowArgs } from './depthwise-window-layer.js';
import { registerLayer } from './registry.js';

export type DepthwiseConv2DArgs = DepthwiseWindowArgs;

/**
 * Depthwise 2-D convolution over NHWC input: each input channel is convolved with its own
 * depthMultiplier filters from the [kh, kw, inC, depthMultiplier] depthwise_kernel, output channel
 * ch·depthMultiplier + j; then bias and activation. MobileNet's spatial filter: kh·kw multiply-adds
 * per output value instead of Conv2D's kh·kw·inC.
 */
export class DepthwiseConv2D extends DepthwiseWindowLayer {
  readonly className = 'DepthwiseConv2D';
  private y: Ptr = -1;

  constructor(args: DepthwiseConv2DArgs) {
    super('DepthwiseConv2D', args);
  }

  protected computeOutputShape(inputShape: Shape): Shape {
    const g = this.planWindow(inputShape);
    return [g.oh, g.ow, this.depthwiseChannels];
  }

  protected override declareParams(): Param[] {
    const kernel = this.depthwiseKernel();
    return this.useBias ? [kernel, this.newParam('bias', [this.depthwiseChannels], this.biasInitializer)] : [kernel];
  }

  override plan(memory: MemoryPlan, maxBatch: number): void {
    this.y = memory.alloc(maxBatch * this.g.oh * this.g.ow * this.depthwiseChannels);
  }

  forward(ctx: StepContext, x: Ptr, batch: number): Ptr {
    const b = ctx.backend;
    this.x = x;
    this.g.n = batch;
    b.depthwiseConv2d(x, this.param('depthwise_kernel').ptr, this.y, this.g, this.depthMultiplier);
    const bias = this.useBias ? this.param('bias').ptr : -1;
    biasActivationForward(b, this.activation, this.y, bias, batch * this.g.oh * this.g.ow, this.depthwiseChannels);
    return this.y;
  }

  backward(ctx: StepContext, dy: Ptr, dx: Ptr | null, batch: number): Ptr | null {
    const b = ctx.backend;
    const rows = batch * this.g.oh * this.g.ow;
    const kernel = this.param('depthwise_kernel');
    if (!this.lossGivesPreActivationGrad) activationBackward(b, this.activation, this.y, dy, dy, rows, this.depthwiseChannels);
    this.g.n = batch;
    if (this.computesParamGrads) {
      if (this.useBias) b.biasGrad(dy, this.param('bias').grad, rows, this.depthwiseChannels, false);
      b.depthwiseConv2dBackwardFilter(this.x, dy, kernel.grad, this.g, this.depthMultiplier);
    }
    if (dx === null) return null;
    b.depthwiseConv2dBackwardInput(dy, kernel.ptr, dx, this.g, this.depthMultiplier);
    return dx;
  }

  getConfig(): Record<string, unknown> {
    return this.depthwiseConfig();
  }
}

registerLayer('DepthwiseConv2D', (c, where) => new DepthwiseConv2D({ ...depthwiseWindowArgs(c, where), ...commonArgs(c) }));
