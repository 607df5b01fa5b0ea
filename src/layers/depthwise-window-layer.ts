import { checkActivation, type ActivationName } from '../activations.js';
import type { Ptr, Window2D } from '../kernels/kernels.js';
import type { InitializerName } from '../init.js';
import type { Shape } from '../tensor.js';
import { Layer, layerLabel, type LayerArgs, type Padding, type Param } from './layer.js';
import { initializerConfig, initializerOption, type Config } from './config.js';
import { convWindow, convWindowConfig, convWindowFromConfig, type ConvWindowArgs } from './conv-window-options.js';

/** The options DepthwiseConv2D and SeparableConv2D share. */
export interface DepthwiseWindowArgs extends LayerArgs, ConvWindowArgs {
  /** Filters per input channel: the depthwise output has channels × depthMultiplier channels. */
  depthMultiplier?: number;
  activation?: ActivationName;
  useBias?: boolean;
  depthwiseInitializer?: InitializerName;
  biasInitializer?: InitializerName;
}

/**
 * What DepthwiseConv2D and SeparableConv2D share: the window options (checked as Keras does),
 * the [kh, kw, inC, depthMultiplier] depthwise kernel, bias and activation, the window geometry,
 * and that part of their Keras config, both ways.
 */
export abstract class DepthwiseWindowLayer extends Layer {
  readonly kernelSize: [number, number];
  readonly strides: [number, number];
  readonly padding: Padding;
  readonly dilationRate: [number, number];
  readonly depthMultiplier: number;
  readonly activation: ActivationName;
  readonly useBias: boolean;
  protected readonly depthwiseInitializer: InitializerName;
  protected readonly biasInitializer: InitializerName;
  protected g!: Window2D;
  /** The input of the last forward pass, which backward reads. */
  protected x: Ptr = -1;

  constructor(className: string, args: DepthwiseWindowArgs) {
    super(args);
    const where = layerLabel(className, args.name);
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

  /** Channels the depthwise convolution outputs. */
  protected get depthwiseChannels(): number {
    return this.g.c * this.depthMultiplier;
  }

  /** Sets the window geometry for this input shape (an error naming the layer if it does not fit). */
  protected planWindow(inputShape: Shape): Window2D {
    this.g = this.windowGeometry(inputShape, this.kernelSize, this.strides, this.padding, 'kernel', this.dilationRate);
    return this.g;
  }

  protected depthwiseKernel(): Param {
    return this.newParam('depthwise_kernel', [...this.kernelSize, this.g.c, this.depthMultiplier], this.depthwiseInitializer);
  }

  /** The shared part of the Keras config (the layer adds its own keys). */
  protected depthwiseConfig(): Record<string, unknown> {
    return {
      ...convWindowConfig(this),
      activation: this.activation,
      use_bias: this.useBias,
      depth_multiplier: this.depthMultiplier,
      depthwise_initializer: initializerConfig(this.depthwiseInitializer),
      depthwise_regularizer: null,
      depthwise_constraint: null,
      bias_initializer: initializerConfig(this.biasInitializer),
      bias_regularizer: null,
      activity_regularizer: null,
      bias_constraint: null,
    };
  }
}

/** Reads the shared options from a Keras config (each layer's fromConfig adds its own). */
export function depthwiseWindowArgs(c: Config, where: string): DepthwiseWindowArgs {
  return {
    ...convWindowFromConfig(c),
    depthMultiplier: depthMultiplierOption(c['depth_multiplier'], where),
    activation: checkActivation(c['activation'], where),
    useBias: (c['use_bias'] ?? true) as boolean,
    depthwiseInitializer: initializerOption(c['depthwise_initializer'], 'glorotUniform', where),
    biasInitializer: initializerOption(c['bias_initializer'], 'zeros', where),
  };
}

/** depthMultiplier: a positive integer, 1 when absent. */
function depthMultiplierOption(v: unknown, where: string): number {
  if (v === undefined || v === null) return 1;
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) throw new Error(`${where}: depthMultiplier must be a positive integer, got ${JSON.stringify(v)}`);
  return v;
}
