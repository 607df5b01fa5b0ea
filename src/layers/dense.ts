import { activationBackward, biasActivationForward, checkActivation, needsPreActivation, type ActivationName } from '../activations.js';
import type { Ptr } from '../kernels/kernels.js';
import type { InitializerName } from '../init.js';
import type { MemoryPlan } from '../memory-plan.js';
import type { Shape } from '../tensor.js';
import { commonArgs, initializerOption, kernelBiasConfig, numberOption } from './config.js';
import { Layer, layerLabel, type LayerArgs, type Param, type StepContext } from './layer.js';
import { registerLayer } from './registry.js';

export interface DenseArgs extends LayerArgs {
  units: number;
  activation?: ActivationName;
  useBias?: boolean;
  kernelInitializer?: InitializerName;
  biasInitializer?: InitializerName;
}

/** Fully connected layer: y = act(x·W + b) with W of shape [in, units]. */
export class Dense extends Layer {
  readonly className = 'Dense';
  readonly units: number;
  readonly activation: ActivationName;
  readonly useBias: boolean;
  private readonly kernelInitializer: InitializerName;
  private readonly biasInitializer: InitializerName;
  private y: Ptr = -1;
  private x: Ptr = -1;
  /** x·W + b, kept only for activations whose derivative needs it (needsPreActivation). */
  private z: Ptr = -1;

  constructor(args: DenseArgs) {
    super(args);
    const where = layerLabel('Dense', args.name);
    if (!Number.isInteger(args.units) || args.units <= 0) throw new Error(`${where}: units must be a positive integer, got ${args.units}`);
    this.units = args.units;
    this.activation = checkActivation(args.activation, where);
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = args.kernelInitializer ?? 'glorotUniform';
    this.biasInitializer = args.biasInitializer ?? 'zeros';
  }

  override get outputActivation(): ActivationName {
    return this.activation;
  }

  protected computeOutputShape(inputShape: Shape): Shape {
    if (inputShape.length !== 1) throw this.shapeError(inputShape, 'expects a flat input per sample; add a Flatten layer before it');
    return [this.units];
  }

  protected override declareParams(): Param[] {
    const kernel = this.newParam('kernel', [this.inputShape[0]!, this.units], this.kernelInitializer);
    return this.useBias ? [kernel, this.newParam('bias', [this.units], this.biasInitializer)] : [kernel];
  }

  override plan(memory: MemoryPlan, maxBatch: number): void {
    this.y = memory.alloc(maxBatch * this.units);
    this.z = needsPreActivation(this.activation) ? memory.alloc(maxBatch * this.units) : -1;
  }

  forward(ctx: StepContext, x: Ptr, batch: number): Ptr {
    const b = ctx.backend;
    this.x = x;
    const z = this.z >= 0 ? this.z : this.y;
    b.gemm(false, false, batch, this.units, this.inputShape[0]!, x, this.param('kernel').ptr, z, false);
    biasActivationForward(b, this.activation, z, this.useBias ? this.param('bias').ptr : -1, batch, this.units, this.y);
    return this.y;
  }

  backward(ctx: StepContext, dy: Ptr, dx: Ptr | null, batch: number): Ptr | null {
    const b = ctx.backend;
    const inputs = this.inputShape[0]!;
    const kernel = this.param('kernel');
    if (!this.lossGivesPreActivationGrad) activationBackward(b, this.activation, this.y, dy, dy, batch, this.units, this.z);
    if (this.computesParamGrads) {
      if (this.useBias) b.biasGrad(dy, this.param('bias').grad, batch, this.units, false);
      b.gemm(true, false, inputs, this.units, batch, this.x, dy, kernel.grad, false);
    }
    if (dx === null) return null;
    b.gemm(false, true, batch, inputs, this.units, dy, kernel.ptr, dx, false);
    return dx;
  }

  getConfig(): Record<string, unknown> {
    return {
      units: this.units,
      activation: this.activation,
      ...kernelBiasConfig(this.useBias, this.kernelInitializer, this.biasInitializer),
    };
  }
}

registerLayer('Dense', (c, where) =>
  new Dense({
    units: numberOption(c, 'units', where),
    activation: checkActivation(c['activation'], where),
    useBias: (c['use_bias'] ?? true) as boolean,
    kernelInitializer: initializerOption(c['kernel_initializer'], 'glorotUniform', where),
    biasInitializer: initializerOption(c['bias_initializer'], 'zeros', where),
    ...commonArgs(c),
  }),
);
