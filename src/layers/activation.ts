import { activationBackward, activationForward, checkActivation, type ActivationName } from '../activations.js';
import type { Ptr } from '../kernels/kernels.js';
import type { MemoryPlan } from '../memory-plan.js';
import { shapeSize, type Shape } from '../tensor.js';
import { commonArgs } from './config.js';
import { Layer, layerLabel, type LayerArgs, type StepContext } from './layer.js';
import { registerLayer } from './registry.js';

/** A standalone activation (softmax acts on the last axis). */
export class Activation extends Layer {
  readonly className = 'Activation';
  readonly activation: ActivationName;
  private y: Ptr = -1;
  private x: Ptr = -1;

  constructor(args: { activation: ActivationName } & LayerArgs) {
    super(args);
    this.activation = checkActivation(args.activation, layerLabel('Activation', args.name));
  }

  override get outputActivation(): ActivationName {
    return this.activation;
  }

  override get absorbableActivation(): ActivationName {
    return this.activation;
  }

  protected computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape];
  }

  private rowsCols(batch: number): [number, number] {
    const cols = this.inputShape[this.inputShape.length - 1] ?? 1;
    return [(batch * shapeSize(this.inputShape)) / cols, cols];
  }

  override plan(memory: MemoryPlan, maxBatch: number): void {
    this.y = memory.alloc(maxBatch * shapeSize(this.inputShape));
  }

  forward(ctx: StepContext, x: Ptr, batch: number): Ptr {
    this.x = x;
    activationForward(ctx.backend, this.activation, x, this.y, ...this.rowsCols(batch));
    return this.y;
  }

  backward(ctx: StepContext, dy: Ptr, _dx: Ptr | null, batch: number): Ptr {
    if (!this.lossGivesPreActivationGrad) activationBackward(ctx.backend, this.activation, this.y, dy, dy, ...this.rowsCols(batch), this.x);
    return dy;
  }

  getConfig(): Record<string, unknown> {
    return { activation: this.activation };
  }
}

registerLayer('Activation', (c, where) => new Activation({ activation: checkActivation(c['activation'], where), ...commonArgs(c) }));
