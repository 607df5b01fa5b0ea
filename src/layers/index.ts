// Importing a layer's file registers it for model files (see registry.ts); this barrel is the
// public API, so a new layer adds one export and one factory here.
// Import order is registration order, which error messages list.
import { Conv2D, type Conv2DArgs } from './conv2d.js';
import { Dense, type DenseArgs } from './dense.js';
import { MaxPool2D, type MaxPool2DArgs } from './maxpool2d.js';
import { Flatten } from './flatten.js';
import { Dropout } from './dropout.js';
import { Activation } from './activation.js';
import { BatchNormalization, type BatchNormalizationArgs } from './batch-normalization.js';
import { AveragePooling2D, type AveragePooling2DArgs } from './average-pooling2d.js';
import { GlobalAveragePooling2D, GlobalMaxPooling2D } from './global-pooling2d.js';
import { Reshape, type ReshapeArgs } from './reshape.js';
import type { LayerArgs } from './layer.js';
import { DepthwiseConv2D, type DepthwiseConv2DArgs } from './depthwise-conv2d.js';
import { SeparableConv2D, type SeparableConv2DArgs } from './separable-conv2d.js';
import { LeakyReLU, type LeakyReLUArgs } from './leaky-relu.js';
import { Rescaling, type RescalingArgs } from './rescaling.js';
import { Normalization, type NormalizationArgs } from './normalization.js';
import { RandomRotation, type RandomRotationArgs } from './random-rotation.js';
import { RandomTranslation, type RandomTranslationArgs } from './random-translation.js';
import { RandomZoom, type RandomZoomArgs } from './random-zoom.js';
import { RandomFlip, type RandomFlipArgs } from './random-flip.js';
import { RandomContrast, type RandomContrastArgs } from './random-contrast.js';
import { RandomAffine, type RandomAffineArgs } from './random-affine.js';
import { RandomElastic, type RandomElasticArgs } from './random-elastic.js';
import { ReLU, type ReLUArgs } from './relu.js';

export { Layer } from './layer.js';
export type { LayerArgs, Param, State } from './layer.js';
export { layerFromConfig, registerLayer, supportedLayerClasses, kerasNamePrefix } from './registry.js';
export { Activation, Conv2D, Dense, Dropout, Flatten, MaxPool2D };
export type { Conv2DArgs, DenseArgs, MaxPool2DArgs };
export { DepthwiseConv2D, SeparableConv2D };
export type { DepthwiseConv2DArgs, SeparableConv2DArgs };
export { LeakyReLU, type LeakyReLUArgs };
export { BatchNormalization, AveragePooling2D, GlobalAveragePooling2D, GlobalMaxPooling2D, Reshape };
export type { BatchNormalizationArgs, AveragePooling2DArgs, ReshapeArgs };
export { Rescaling, Normalization };
export type { RescalingArgs, NormalizationArgs };
export { RandomRotation, RandomTranslation, RandomZoom, RandomFlip, RandomContrast };
export type { RandomRotationArgs, RandomTranslationArgs, RandomZoomArgs, RandomFlipArgs, RandomContrastArgs };
export { RandomAffine, type RandomAffineArgs };
export { RandomElastic, type RandomElasticArgs };
export { ReLU, type ReLUArgs };

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
  batchNormalization: (args?: BatchNormalizationArgs) => new BatchNormalization(args),
  averagePooling2d: (args?: AveragePooling2DArgs) => new AveragePooling2D(args),
  avgPool2d: (args?: AveragePooling2DArgs) => new AveragePooling2D(args),
  globalAveragePooling2d: (args?: LayerArgs) => new GlobalAveragePooling2D(args),
  globalMaxPooling2d: (args?: LayerArgs) => new GlobalMaxPooling2D(args),
  reshape: (args: ReshapeArgs) => new Reshape(args),
  rescaling: (args: RescalingArgs) => new Rescaling(args),
  normalization: (args?: NormalizationArgs) => new Normalization(args),
  randomRotation: (args: RandomRotationArgs) => new RandomRotation(args),
  randomTranslation: (args: RandomTranslationArgs) => new RandomTranslation(args),
  randomZoom: (args: RandomZoomArgs) => new RandomZoom(args),
  randomFlip: (args?: RandomFlipArgs) => new RandomFlip(args),
  randomContrast: (args: RandomContrastArgs) => new RandomContrast(args),
  randomAffine: (args?: RandomAffineArgs) => new RandomAffine(args),
  randomElastic: (args?: RandomElasticArgs) => new RandomElastic(args),
  reLU: (args?: ReLUArgs) => new ReLU(args),
};
