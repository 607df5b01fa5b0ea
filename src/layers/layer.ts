import type { Backend } from '../kernels/backend.js';
import type { Ptr, Window2D } from '../kernels/kernels.js';
import type { ActivationName } from '../activations.js';
import type { InitializerName } from '../init.js';
import type { MemoryPlan } from '../memory-plan.js';
import { formatShape, shapeSize, type Shape } from '../tensor.js';

/** A trainable array of a layer ('kernel', 'bias', 'gamma', ...), placed in the arena by the model. */
export interface Param {
  readonly name: string;
  readonly shape: Shape;
  readonly size: number;
  initializer: InitializerName;
  /** Where the values live (set by the model when it plans memory). */
  ptr: Ptr;
  /** Where dLoss/dValues lives, same size. */
  grad: Ptr;
}

/**
 * A non-trainable array a layer keeps between batches (BatchNormalization's moving mean and
 * variance): saved and loaded with the model, never touched by an optimizer or weight decay.
 */
export interface State {
  readonly name: string;
  readonly shape: Shape;
  readonly size: number;
  initializer: InitializerName;
  /** Values that replace the initializer's when the model places the state (Normalization.adapt). */
  values?: Float32Array;
  /** Where the values live (set by the model when it plans memory). */
  ptr: Ptr;
}

/** What a layer needs while it computes one batch. */
export interface StepContext {
  readonly backend: Backend;
  /** Shared scratch, big enough for every layer's scratchSize(); only one layer uses it at a time. */
  readonly scratch: Ptr;
  readonly training: boolean;
  /** A fresh 32-bit seed from the model's PRNG (dropout masks). */
  nextSeed(): number;
}

/** What every layer's constructor takes besides its own options. */
export interface LayerArgs {
  name?: string;
  inputShape?: Shape;
  /** False freezes the layer's parameters (default true). */
  trainable?: boolean;
}

/**
 * A layer of a Sequential model. Shapes exclude the batch dimension.
 * Lifecycle: build(inputShape) once → plan(memory, maxBatch) per batch size →
 * forward/backward per batch of up to maxBatch rows.
 */
export abstract class Layer {
  abstract readonly className: string;
  /** Set from the constructor or by the model (Keras naming: conv2d, conv2d_1, ...). */
  name: string | undefined;
  /** The per-sample input shape the user declared (first layer only). */
  readonly declaredInputShape: Shape | undefined;
  inputShape: Shape = [];
  outputShape: Shape = [];
  params: Param[] = [];
  state: State[] = [];
  /**
   * Whether fit updates this layer's parameters (Keras' `layer.trainable`). Settable between
   * fits: a frozen layer computes no parameter gradients and its optimizer slots stay as they are;
   * its parameters keep their place in memory.
   */
  trainable: boolean;
  /**
   * Set by the model when the loss hands this layer dLoss/d(pre-activation) directly
   * (softmax + cross-entropy fused, see model/loss-fusion.ts), so backward skips the
   * activation's own derivative.
   */
  lossGivesPreActivationGrad = false;
  /**
   * Set by the model when the layer before this one applies this layer's activation inside its
   * own forward and backward (model/activation-absorption.ts): this layer then passes values and
   * gradients through untouched (planStep, forwardStep, backwardStep). It stays in the model
   * (topology, summary, saving).
   */
  absorbedByPrevious = false;
  private built = false;

  constructor(args: LayerArgs = {}) {
    this.name = args.name;
    this.trainable = args.trainable ?? true;
    if (args.inputShape !== undefined) {
      if (!Array.isArray(args.inputShape) || args.inputShape.some((d) => !Number.isInteger(d) || d <= 0)) {
        throw new Error(`${this.constructor.name}: inputShape must be an array of positive integers, got ${JSON.stringify(args.inputShape)}`);
      }
      this.declaredInputShape = [...args.inputShape];
    }
  }

  get isBuilt(): boolean {
    return this.built;
  }

  /** Fixes the input shape, checks it, computes the output shape and declares parameters. */
  build(inputShape: Shape): void {
    if (this.built) throw new Error(`layer '${this.name}' is already built; layers cannot be shared between models`);
    this.inputShape = [...inputShape];
    this.outputShape = this.computeOutputShape(inputShape);
    this.params = this.declareParams();
    this.state = this.declareState();
    this.built = true;
  }

  /** Every value the layer saves: parameters and non-trainable state (Keras' count_params()). */
  get paramCount(): number {
    return this.params.reduce((n, p) => n + p.size, 0) + this.stateCount;
  }

  /** Values the optimizer updates: the parameters, unless the layer is frozen. */
  get trainableParamCount(): number {
    return this.trainable ? this.params.reduce((n, p) => n + p.size, 0) : 0;
  }

  get stateCount(): number {
    return this.state.reduce((n, s) => n + s.size, 0);
  }

  /**
   * Whether backward must write the parameter gradients: the layer has parameters and is
   * trainable. Layers skip their dW/db work when it is false.
   */
  get computesParamGrads(): boolean {
    return this.trainable && this.params.length > 0;
  }

  /**
   * The activation this layer ends with, when its backward can take dLoss/d(pre-activation)
   * instead (the loss-fusion decision reads it); null for layers that end otherwise.
   */
  get outputActivation(): ActivationName | null {
    return null;
  }

  /**
   * The activation this layer is and nothing more (an Activation layer, a ReLU with default
   * options), which the layer before it may absorb; null for every other layer.
   */
  get absorbableActivation(): ActivationName | null {
    return null;
  }

  /**
   * Asked by the model once it is built, for the layer right after this one: whether this layer
   * takes over `activation`, applying it in its own forward and backward passes (true), or not.
   * A layer that can fuse an activation into its kernels overrides this.
   */
  absorbFollowingActivation(_activation: ActivationName): boolean {
    return false;
  }

  /** What the model's passes call: plan, or nothing when absorbed (the layer before writes the output). */
  planStep(memory: MemoryPlan, maxBatch: number): void {
    if (!this.absorbedByPrevious) this.plan(memory, maxBatch);
  }

  /** What the model's passes call: forward, or the input itself when absorbed. */
  forwardStep(ctx: StepContext, x: Ptr, batch: number): Ptr {
    return this.absorbedByPrevious ? x : this.forward(ctx, x, batch);
  }

  /** What the model's passes call: backward, or dy itself when absorbed (the layer before applied the derivative). */
  backwardStep(ctx: StepContext, dy: Ptr, dx: Ptr | null, batch: number): Ptr | null {
    return this.absorbedByPrevious ? dy : this.backward(ctx, dy, dx, batch);
  }

  param(name: string): Param {
    const p = this.params.find((q) => q.name === name);
    if (!p) throw new Error(`layer '${this.name}' has no ${name}`);
    return p;
  }

  /** Places this layer's per-batch buffers (outputs, masks, indices) for batches up to maxBatch. */
  plan(_memory: MemoryPlan, _maxBatch: number): void {}

  /** Elements of shared scratch this layer needs for a batch of maxBatch. */
  scratchSize(_maxBatch: number): number {
    return 0;
  }

  /** Computes the output for `batch` rows of input at x; returns where the output is. */
  abstract forward(ctx: StepContext, x: Ptr, batch: number): Ptr;

  /**
   * Given dLoss/dOutput at dy (which it may overwrite), accumulates nothing but SETS its
   * parameter gradients (only when computesParamGrads: a frozen layer leaves them), and writes dLoss/dInput to dx when dx is not null. Returns where
   * dLoss/dInput is (dx, or dy itself for layers that only reshape), or null.
   */
  abstract backward(ctx: StepContext, dy: Ptr, dx: Ptr | null, batch: number): Ptr | null;

  /** The Keras config (snake_case, as in TF.js model.json), without name/trainable/dtype. */
  abstract getConfig(): Record<string, unknown>;

  protected newParam(name: string, shape: Shape, initializer: InitializerName): Param {
    return { name, shape: [...shape], size: shapeSize(shape), initializer, ptr: -1, grad: -1 };
  }

  protected newState(name: string, shape: Shape, initializer: InitializerName): State {
    return { name, shape: [...shape], size: shapeSize(shape), initializer, ptr: -1 };
  }

  protected declareParams(): Param[] {
    return [];
  }

  protected declareState(): State[] {
    return [];
  }

  protected abstract computeOutputShape(inputShape: Shape): Shape;

  /**
   * The NHWC window geometry (batch left 0, set per call) of a kxk window op over a
   * (height, width, channels) input, as TensorFlow pads it; throws if the window does not fit.
   * A dilated window (taps dh rows, dw columns apart) spans (k−1)·d+1 pixels, and TensorFlow
   * sizes and pads by that span.
   */
  protected windowGeometry(
    inputShape: Shape, [kh, kw]: [number, number], [sh, sw]: [number, number], padding: Padding, what: string, [dh, dw]: [number, number] = [1, 1],
  ): Window2D {
    if (inputShape.length !== 3) throw this.shapeError(inputShape, 'expects input of rank 3 per sample (height, width, channels)');
    const [h, w, c] = inputShape as [number, number, number];
    const ay = windowAxis(h, (kh - 1) * dh + 1, sh, padding);
    const ax = windowAxis(w, (kw - 1) * dw + 1, sw, padding);
    const dilated = dh !== 1 || dw !== 1 ? ` dilated by ${dh}x${dw}` : '';
    if (ay.out <= 0 || ax.out <= 0) throw this.shapeError(inputShape, `a ${kh}x${kw} ${what}${dilated} with '${padding}' padding does not fit`);
    return { n: 0, h, w, c, kh, kw, sh, sw, padTop: ay.padBefore, padLeft: ax.padBefore, oh: ay.out, ow: ax.out, dh, dw };
  }

  /** An error that names the layer and the shape it got. */
  protected shapeError(inputShape: Shape, problem: string): Error {
    return new Error(`${this.className} layer '${this.name}': ${problem} (input shape ${formatShape(inputShape)})`);
  }
}

/** How constructor errors name a layer: `Conv2D 'conv_a'`, or just `Conv2D` before it has a name. */
export function layerLabel(className: string, name: string | undefined): string {
  return name ? `${className} '${name}'` : className;
}

export function pair(v: number | readonly number[], what: string, layer: string): [number, number] {
  const p = typeof v === 'number' ? [v, v] : [...v];
  if (p.length !== 2 || p.some((d) => !Number.isInteger(d) || d <= 0)) {
    throw new Error(`${layer}: ${what} must be a positive integer or a pair of them, got ${JSON.stringify(v)}`);
  }
  return p as [number, number];
}

export type Padding = 'valid' | 'same';

export function checkPadding(p: unknown, layer: string): Padding {
  if (p === undefined) return 'valid';
  if (p === 'valid' || p === 'same') return p;
  throw new Error(`${layer}: padding must be 'valid' or 'same', got ${JSON.stringify(p)}`);
}

/** Output size and leading pad along one axis, as TensorFlow computes them. */
function windowAxis(size: number, k: number, stride: number, padding: Padding): { out: number; padBefore: number } {
  if (padding === 'valid') return { out: Math.floor((size - k) / stride) + 1, padBefore: 0 };
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + k - size, 0);
  return { out, padBefore: Math.floor(total / 2) };
}
