/**
 * wasmnn — neural networks in TypeScript with WebAssembly kernels.
 * This entry point is the browser-safe core: no runtime dependencies, no node: imports.
 */
export { Tensor, tensor, concat, oneHot, shapeSize, formatShape, type Shape, type TensorLike, type NestedNumbers } from './tensor.js';
export { layers, Layer, Conv2D, Dense, Dropout, Flatten, MaxPool2D, Activation, registerLayer, supportedLayerClasses } from './layers/index.js';
export type { Conv2DArgs, DenseArgs, MaxPool2DArgs, LayerArgs, Param, State } from './layers/index.js';
export { Sequential } from './model/sequential.js';
export type { SequentialOptions, CompileArgs, MetricName, FitArgs, Callbacks, History, EvaluateResult } from './model/sequential.js';
export type { Logs, ProgressOutput } from './model/progress.js';
export { loadModel, type LoadOptions, type ModelSource } from './model/load.js';
export { listModels, removeModel } from './model/handlers.js';
export type { StoredModelInfo } from './model/stored-model.js';
export type { ModelFiles } from './model/io-files.js';
export { loadPretrained, pretrainedModelUrl, type LoadPretrainedOptions } from './pretrained-url.js';
export { toSafetensors, fromSafetensors, readSafetensors, type Safetensors } from './model/safetensors.js';
export { encodeArtifacts, decodeWeights, type NamedWeight, type ModelJson, type ModelArtifacts } from './model/weights-format.js';
export { optimizers, sgd, adam, adamw, registerTfjsOptimizer, type Optimizer, type OptimizerName, type ParamRun, type SgdArgs, type AdamArgs } from './optimizers.js';
export type { LossName, KerasLossName } from './losses.js';
export type { ActivationName } from './activations.js';
export type { InitializerName } from './init.js';
export { Random, setSeed } from './random.js';
export { createBackend, describeBackend, type Backend, type BackendName } from './kernels/index.js';
export { parseIdx, isGzip } from './data/idx.js';
export { mnistFromIdx, type Mnist, type MnistSplit } from './data/mnist.js';
export { shufflePairs, splitPairs } from './data/pairs.js';
export { DepthwiseConv2D, SeparableConv2D, type DepthwiseConv2DArgs, type SeparableConv2DArgs } from './layers/index.js';
export { LeakyReLU, type LeakyReLUArgs } from './layers/index.js';
export { tensor1d, tensor2d, tensor3d, tensor4d } from './tensor.js';
