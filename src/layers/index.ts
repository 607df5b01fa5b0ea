// Importing a layer's file registers it for model files (see registry.ts); this barrel is the
// public API, so a new layer adds one export and one factory here.
// Import order is registration order, which error messages list.
import { Conv2D, type Conv2DArgs } from './conv2d.js';
import { Dense, type DenseArgs } from './dense.js';
import { MaxPool2D, type MaxPool2DArgs } from './maxpool2d.js';
import { Flatten } from './flatten.js';
import { Dropout } from './dropout.js';
import { Activation } from './activation.js';
import type { LayerArgs } from './layer.js';
import { DepthwiseConv2D, type DepthwiseConv2DArgs } from './depthwise-conv2d.js';
import { SeparableConv2D, type SeparableConv2DArgs } from './separable-conv2d.js';
import { LeakyReLU, type LeakyReLUArgs } from './leaky-relu.js';

export { Layer } from './layer.js';
export type { LayerArgs, Param, State } from './layer.js';
export { layerFromConfig, registerLayer, supportedLayerClasses, kerasNamePrefix } from './registry.js';
export { Activation, Conv2D, Dense, Dropout, Flatten, MaxPool2D };
export type { Conv2DArgs, DenseArgs, MaxPool2DArgs };
export { DepthwiseConv2D, SeparableConv2D };
export type { DepthwiseConv2DArgs, SeparableConv2DArgs };
export { LeakyReLU, type LeakyReLUArgs };

/** Keras-style layer factories: `layers.conv2d({ filters: 32, kernelSize: 3 })`. */
export const layers = {
  conv2d: (args: Conv2DArgs) => new Conv2D(args),
  dense: (args: DenseArgs) => new Dense(args),
  maxPooling2d: (args?: MaxPool2DArgs) => new MaxPool2D(args),
  maxPool2d: (args?: MaxPool2DArgs) => new MaxPool2D(args),
  flatten: (args?: LayerArgs) => new Flatten(args),
  dropout: (args: ConstructorParameters<typeof Dropout>[0]) => new Dropout(args),
  activation: (args: ConstructorParameters<typeof Activation>[0]) => new Activation(args),
  depthwiseConv2d: (args: DepthwiseConv2DArgs) => new DepthwiseConv2D(args),
  separableConv2d: (args: SeparableConv2DArgs) => new SeparableConv2D(args),
  leakyReLU: (args?: LeakyReLUArgs) => new LeakyReLU(args),
};
