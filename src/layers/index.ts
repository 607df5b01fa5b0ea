import { Activation } from './activation.js';
import { Conv2D, type Conv2DArgs } from './conv2d.js';
import { Dense, type DenseArgs } from './dense.js';
import { Dropout } from './dropout.js';
import { Flatten } from './flatten.js';
import { MaxPool2D, type MaxPool2DArgs } from './maxpool2d.js';

export { Layer } from './layer.js';
export type { Param } from './layer.js';
export { Activation, Conv2D, Dense, Dropout, Flatten, MaxPool2D };
export type { Conv2DArgs, DenseArgs, MaxPool2DArgs };

/** Keras-style layer factories: `layers.conv2d({ filters: 32, kernelSize: 3 })`. */
export const layers = {
  conv2d: (args: Conv2DArgs) => new Conv2D(args),
  dense: (args: DenseArgs) => new Dense(args),
  maxPooling2d: (args?: MaxPool2DArgs) => new MaxPool2D(args),
  maxPool2d: (args?: MaxPool2DArgs) => new MaxPool2D(args),
  flatten: (args?: ConstructorParameters<typeof Flatten>[0]) => new Flatten(args),
  dropout: (args: ConstructorParameters<typeof Dropout>[0]) => new Dropout(args),
  activation: (args: ConstructorParameters<typeof Activation>[0]) => new Activation(args),
};
