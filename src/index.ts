/**
 * wasmnn — neural networks in TypeScript with WebAssembly kernels.
 * This entry point is the browser-safe core: no runtime dependencies, no node: imports.
 */
export { Tensor, tensor, concat, oneHot, shapeSize, formatShape, type Shape, type TensorLike, type NestedNumbers } from './tensor.js';
export { layers, Layer, Conv2D, Dense, Dropout, Flatten, MaxPool2D, Activation, registerLayer, supportedLayerClasses } from './layers/index.js';
export type { Conv2DArgs, DenseArgs, MaxPool2DArgs, LayerArgs, Param, State } from './layers/index.js';
export { BatchNormalization, AveragePooling2D, GlobalAveragePooling2D, GlobalMaxPooling2D, Reshape } from './layers/index.js';
export type { BatchNormalizationArgs, AveragePooling2DArgs, ReshapeArgs } from './layers/index.js';
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
export { losses, Loss, type LossSpec, type LossAlias, type CrossentropyOptions, type HuberOptions } from './losses.js';
export { metrics, type Metric, type MetricSpec, type MetricState } from './model/metrics.js';
export { confusionMatrix } from './confusion-matrix.js';
// Training: optimizers beyond SGD/Adam, learning-rate schedules, callbacks, datasets (issue 11).
export { rmsprop, adagrad, adamax, nadam, makeOptimizer, type RmspropArgs, type AdagradArgs, type AdamaxArgs, type NadamArgs, type OptimizerArgs, type LearningRateSchedule, type UpdateRule } from './optimizers.js';
export { exponentialDecay, piecewiseConstant, cosineDecay, linearWarmupDecay, oneCycle } from './optimizers/schedules.js';
export type { ExponentialDecayArgs, PiecewiseConstantArgs, CosineDecayArgs, LinearWarmupDecayArgs, OneCycleArgs } from './optimizers/schedules.js';
export { callbacks, EarlyStopping, ModelCheckpoint, ReduceLROnPlateau, LearningRateScheduler, TerminateOnNaN } from './callbacks/index.js';
export type { EarlyStoppingArgs, ModelCheckpointArgs, ReduceLROnPlateauArgs, MonitorMode } from './callbacks/index.js';
export type { CallbackModel } from './model/sequential.js';
export { Dataset, type Batch, type SeededIterable } from './data/dataset.js';
export type { BatchIterable, FitDatasetArgs } from './model/sequential.js';
export { Rescaling, Normalization, type RescalingArgs, type NormalizationArgs } from './layers/index.js';
export { RandomRotation, RandomTranslation, RandomZoom, RandomFlip, RandomContrast } from './layers/index.js';
export type { RandomRotationArgs, RandomTranslationArgs, RandomZoomArgs, RandomFlipArgs, RandomContrastArgs } from './layers/index.js';
export { RandomAffine, type RandomAffineArgs } from './layers/index.js';
export { RandomElastic, type RandomElasticArgs } from './layers/index.js';
export { ReLU, type ReLUArgs } from './layers/index.js';
// Training off the UI thread (issue 13): fit's yieldEvery.
export type { YieldEvery } from './model/yield-policy.js';
