import type { Backend, BackendName } from '../kernels/backend.js';
import { createBackend } from '../kernels/index.js';
import type { Layer } from '../layers/layer.js';
import { checkAugmentationPlacement } from '../layers/augmentation.js';
import { checkLoss, type Loss, type LossSpec } from '../losses.js';
import { optimizerFromName, type Optimizer, type OptimizerName } from '../optimizers.js';
import { nextModelSeed, Random } from '../random.js';
import { formatShape, shapeSize, type Shape, type Tensor } from '../tensor.js';
import { checkModelSize, ModelArena } from './arena.js';
import { saveHandler } from './handlers.js';
import { checkBatchSize, checkData, checkFitData, checkInputShape } from './input-checks.js';
import { assignLayerNames } from './layer-names.js';
import { applyLossFusion, decideLossFusion, type LossFusion } from './loss-fusion.js';
import { resolveMetrics, type Metric, type MetricSpec } from './metrics.js';
import { checkLossFitsOutput, compileConfigParts } from './compile-config.js';
import { Passes } from './passes.js';
import { registeredLayer } from '../layers/registry.js';
import { formatSummary } from './summary.js';
import { modelTopology } from './topology.js';
import type { OnnxExportOptions } from './onnx/index.js';
import type { BatchIterable, FitDatasetArgs } from './fit-dataset.js';
import { predictLoop } from './predict-loop.js';
import type { EvaluateResult, FitArgs, History, LoopModel } from './training-loop.js';
import { optimizerStateWeights, readOptimizerSlots, restoreOptimizerState, type TrainingState } from './optimizer-state.js';
import { checkWeightsMatch, readWeights, writeWeights } from './weights.js';
import { encodeArtifacts, type ModelArtifacts, type NamedWeight } from './weights-format.js';

export type { CallbackModel, Callbacks, EvaluateResult, FitArgs, History } from './training-loop.js';
export type { TrainingState } from './optimizer-state.js';
export type { BatchIterable, FitDatasetArgs } from './fit-dataset.js';

export interface SaveOptions {
  /** Save the optimizer state (slots, step count, generator state, epochs) to resume training. */
  includeOptimizer?: boolean;
}

export interface SequentialOptions {
  name?: string;
  /**
   * Seeds weight init, shuffling and dropout: same seed, same run. Without one, the model takes
   * the next seed of the program's sequence (setSeed, default 42: the first such model gets 42),
   * so two models differ and the same program run twice builds the same weights.
   */
  seed?: number;
  /** 'wasm' (default where WebAssembly works), 'js' (plain-TS reference), or a backend instance. */
  backend?: BackendName | Backend;
  /** WASM worker threads (default: WASMNN_THREADS, else 2 in Node on 2+ cores, else 1). */
  threads?: number;
}

export type { MetricName } from './metrics.js';

export interface CompileArgs {
  optimizer: Optimizer | OptimizerName;
  /** A name (camelCase as in TF.js, or Keras' snake_case) or a loss object (`losses.huber({ delta: 2 })`). */
  loss: LossSpec;
  /** Names (Keras' or TF.js') or metric objects (`metrics.auc()`). */
  metrics?: readonly MetricSpec[];
}

interface Compiled {
  optimizer: Optimizer;
  loss: Loss;
  fusion: LossFusion;
  metrics: Metric[];
}

/** What exists once the model is built: its arena and the passes over it. */
interface Built {
  arena: ModelArena;
  passes: Passes;
}

/**
 * A linear stack of layers with Keras' compile / fit / evaluate / predict. A façade: memory
 * lives in ModelArena (arena.ts), the loops in training-loop.ts, input checks in
 * input-checks.ts, weights and model files in weights.ts / topology.ts / weights-format.ts.
 *
 * Concurrency: build() is shared by concurrent first calls; one fit() at a time (a second is
 * an error); predict/evaluate may run between fit's steps (from a callback or another task)
 * and leave its training unaffected.
 */
export class Sequential {
  readonly layers: Layer[] = [];
  readonly name: string;
  /** Set to true (e.g. from a callback) to stop fit() after the current batch. */
  stopTraining = false;
  /**
   * Whether predict folds each BatchNormalization into the Conv2D, DepthwiseConv2D,
   * SeparableConv2D or Dense (linear activation) before it (model/bn-fold.ts): one pass fewer
   * per folded pair, the same outputs up to float32 rounding. Training, evaluate and saving never fold.
   */
  foldBatchNorm = true;
  private readonly rng: Random;
  private readonly backendChoice: BackendName | Backend | undefined;
  private readonly threads: number | undefined;
  private shapesReady = false;
  private built: Built | null = null;
  private building: Promise<Built> | null = null;
  private compiled: Compiled | null = null;
  private training = false;
  private disposed = false;
  /**
   * The model as an ONNX file's bytes (opset 13; NHWC input and output as in wasmnn, a symbolic
   * batch dimension). Layers without an ONNX form are a named error. See toOnnx. The exporter is
   * imported on first use, so apps (and bundles) that never export do not carry it.
   */
  async toOnnx(options: OnnxExportOptions = {}): Promise<Uint8Array> {
    this.assertUsable('toOnnx');
    const { toOnnx } = await import('./onnx/index.js');
    return toOnnx(this, options);
  }

  /** Epochs completed over the model's whole training (saved with the optimizer state; resume with fit's initialEpoch). */
  private epochsDone = 0;

  constructor(layers: Layer[] = [], options: SequentialOptions = {}) {
    this.name = options.name ?? 'sequential';
    this.rng = new Random(options.seed ?? nextModelSeed());
    this.backendChoice = options.backend;
    this.threads = options.threads;
    for (const layer of layers) this.add(layer);
  }

  add(layer: Layer): void {
    if (this.shapesReady) throw new Error('Sequential.add: the model is already built; add every layer before compile/fit/summary');
    if (layer.isBuilt) throw new Error(`Sequential.add: layer '${layer.name}' already belongs to a model`);
    this.layers.push(layer);
  }

  /** Per-sample input shape, e.g. [28, 28, 1]. */
  get inputShape(): Shape {
    this.ensureShapes();
    return this.layers[0]!.inputShape;
  }

  get outputShape(): Shape {
    this.ensureShapes();
    return this.layers[this.layers.length - 1]!.outputShape;
  }

  /** Every value the model saves: parameters and non-trainable state. */
  get paramCount(): number {
    this.ensureShapes();
    return this.layers.reduce((n, l) => n + l.paramCount, 0);
  }

  /** Parameters fit updates (those of layers not frozen). */
  get trainableParamCount(): number {
    this.ensureShapes();
    return this.layers.reduce((n, l) => n + l.trainableParamCount, 0);
  }

  /** The compiled optimizer (Keras' model.optimizer), or null before compile. */
  get optimizer(): Optimizer | null {
    return this.compiled?.optimizer ?? null;
  }

  /** The compiled loss (Keras' model.loss), or null before compile. */
  get loss(): Loss | null {
    return this.compiled?.loss ?? null;
  }

  /** The backend computing this model (after build). */
  get backend(): Backend | null {
    return this.built?.arena.backend ?? null;
  }

  compile(args: CompileArgs): void {
    this.assertUsable('compile');
    // The running loop holds the optimizer, its slots and the loss fusion.
    if (this.training) throw new Error('compile: the model is training; compile before fit() or after it has finished');
    this.ensureShapes();
    const optimizer = typeof args.optimizer === 'string' ? optimizerFromName(args.optimizer) : args.optimizer;
    const loss = checkLoss(args.loss);
    checkLossFitsOutput(loss, this.outputShape);
    const metrics = resolveMetrics(args.metrics ?? [], loss, shapeSize(this.outputShape));
    const fusion = decideLossFusion(this.layers, loss);
    this.built?.arena.setOptimizerSlots(optimizer.slotNames.length);
    optimizer.iterations = 0;
    applyLossFusion(this.layers, fusion);
    this.compiled = { optimizer, loss, fusion, metrics };
  }

  summary(print: (text: string) => void = console.log): void {
    this.ensureShapes();
    print(formatSummary(this.name, this.layers));
  }

  /**
   * Creates the backend, places parameters, state and optimizer slots in its arena and
   * initializes them. Called by fit/evaluate/predict; concurrent calls share one build.
   */
  async build(): Promise<void> {
    await this.ensureBuilt('build');
  }

  async fit(x: Tensor, y: Tensor, args: FitArgs = {}): Promise<History> {
    const compiled = this.requireCompiled('fit');
    if (this.training) throw new Error('fit: this model is already training; await the running fit() before starting another');
    const batchSize = checkBatchSize(args.batchSize ?? 32, 'fit');
    const initialEpoch = args.initialEpoch ?? 0;
    const epochs = checkEpochs(args.epochs ?? 1, initialEpoch, 'fit');
    const data = checkFitData(x, y, args, this.inputShape, this.outputShape, compiled.loss);
    this.training = true;
    try {
      const built = await this.ensureBuilt('fit');
      // Imported on first use: apps that only predict never load the training loop.
      const loops = await import('./training-loop.js');
      this.stopTraining = false;
      const checkpoint = args.checkpoint;
      const withCheckpoint: FitArgs =
        checkpoint === undefined ? args : { ...args, callbacks: [...loops.callbackList(args.callbacks), { onEpochEnd: () => this.save(checkpoint, { includeOptimizer: true }) }] };
      return await loops.fitLoop(this.loopModel(built, compiled), data, batchSize, initialEpoch, epochs, withCheckpoint);
    } finally {
      this.training = false;
    }
  }

  /**
   * fit over batches from a Dataset or any (async) iterable of { xs, ys } (TF.js'
   * fitDataset): for data streamed from files. A Dataset's shuffle draws from the model's
   * seeded generator unless given a seed.
   */
  async fitDataset(dataset: BatchIterable, args: FitDatasetArgs = {}): Promise<History> {
    const compiled = this.requireCompiled('fitDataset');
    if (this.training) throw new Error('fitDataset: this model is already training; await the running fit() before starting another');
    const epochs = checkEpochs(args.epochs ?? 1, args.initialEpoch ?? 0, 'fitDataset');
    if (args.batchesPerEpoch !== undefined && !(Number.isInteger(args.batchesPerEpoch) && args.batchesPerEpoch >= 1)) {
      throw new Error(`fitDataset: batchesPerEpoch must be a positive integer, got ${args.batchesPerEpoch}`);
    }
    this.ensureShapes();
    this.training = true;
    try {
      const built = await this.ensureBuilt('fitDataset');
      this.stopTraining = false;
      // Imported on first use, as toOnnx is: apps that never stream data do not ship it.
      const { fitDatasetLoop } = await import('./fit-dataset.js');
      return await fitDatasetLoop(this.loopModel(built, compiled), dataset, args.initialEpoch ?? 0, epochs, args);
    } finally {
      this.training = false;
    }
  }

  /** Mean loss and metrics over a Dataset or (async) iterable of { xs, ys } batches. */
  async evaluateDataset(dataset: BatchIterable): Promise<EvaluateResult> {
    const compiled = this.requireCompiled('evaluateDataset');
    const built = await this.ensureBuilt('evaluateDataset');
    const { evaluateDatasetLoop } = await import('./fit-dataset.js');
    return evaluateDatasetLoop(this.loopModel(built, compiled), dataset);
  }

  async evaluate(x: Tensor, y: Tensor, args: { batchSize?: number } = {}): Promise<EvaluateResult> {
    const compiled = this.requireCompiled('evaluate');
    checkData(x, y, this.inputShape, this.outputShape, compiled.loss, 'evaluate');
    const batchSize = checkBatchSize(args.batchSize ?? 32, 'evaluate');
    const built = await this.ensureBuilt('evaluate');
    return (await import('./training-loop.js')).evaluateLoop(this.loopModel(built, compiled), x, y, batchSize);
  }

  /** Runs the model on x ([n, ...inputShape]) and returns the outputs ([n, ...outputShape]). */
  async predict(x: Tensor, args: { batchSize?: number } = {}): Promise<Tensor> {
    this.assertUsable('predict');
    checkInputShape(x, this.inputShape, 'predict');
    const batchSize = checkBatchSize(args.batchSize ?? 32, 'predict');
    const built = this.built ?? (await this.ensureBuilt('predict'));
    return predictLoop(built.arena, built.passes, this.outputShape, x, batchSize, this.foldBatchNorm);
  }

  /** Copies of every parameter and state array, named as in model files ('conv2d/kernel'). */
  getWeights(): NamedWeight[] {
    return readWeights(this.layers, this.requireBuilt('getWeights').arena.backend.f32());
  }

  /**
   * The optimizer's per-parameter state ('dense/kernel/m', ...), in parameter order; empty for an
   * optimizer without slots. Frozen layers' slots stay as they were while they are frozen.
   */
  getOptimizerWeights(): NamedWeight[] {
    const { arena } = this.requireBuilt('getOptimizerWeights');
    return readOptimizerSlots(this.layers, arena, this.requireCompiled('getOptimizerWeights').optimizer);
  }

  /**
   * Throws, naming the first problem, unless `weights` hold exactly this model's arrays by name
   * and shape. Needs no memory: loading runs it before the model allocates anything.
   */
  checkWeights(weights: readonly NamedWeight[], what = 'checkWeights'): void {
    this.ensureShapes();
    checkWeightsMatch(this.layers, weights, what);
  }

  /** Sets every parameter and state array from named arrays; names and shapes must match exactly. */
  setWeights(weights: readonly NamedWeight[]): void {
    const built = this.requireBuilt('setWeights');
    writeWeights(this.layers, weights, built.arena.backend.f32());
    built.passes.bnFold?.invalidate(); // folded copies are stale
  }

  /** Keras/TF.js modelTopology JSON. */
  toTopology(): Record<string, unknown> {
    this.ensureShapes();
    return modelTopology(this.name, this.layers);
  }

  /**
   * The trainingConfig of model files (loss, metrics, optimizer as TF.js names them), when
   * compiled with settings TF.js can hold (see compile-config.ts); else null.
   */
  trainingConfig(): Record<string, unknown> | null {
    return (this.compiled && compileConfigParts(this.compiled.loss, this.compiled.metrics, this.compiled.optimizer).trainingConfig) ?? null;
  }

  /**
   * model.json + weight bytes in the TF.js LayersModel format. With `includeOptimizer` (a compiled
   * model), the optimizer state too: its slots and iteration count in the manifest's 'optimizer'
   * group, as TF.js saves them, and in model.json's userDefinedMetadata.wasmnn the generator's
   * state and the epochs completed, so that a loaded model resumes training exactly where it
   * stopped (fit with initialEpoch: epochsCompleted).
   */
  toArtifacts(options: SaveOptions = {}): { modelJson: ModelArtifacts['modelJson']; weightData: Uint8Array } {
    const { trainingConfig, wasmnnCompile } = this.compiled ? compileConfigParts(this.compiled.loss, this.compiled.metrics, this.compiled.optimizer) : {};
    const extra: Parameters<typeof encodeArtifacts>[2] = trainingConfig ? { trainingConfig } : {};
    const metadata: Record<string, unknown> = wasmnnCompile ? { wasmnnCompile } : {};
    if (options.includeOptimizer) {
      const { optimizer } = this.requireCompiled('save with includeOptimizer');
      extra.optimizerWeights = optimizerStateWeights(this.layers, this.requireBuilt('save with includeOptimizer').arena, optimizer);
      metadata['wasmnn'] = { random: this.rng.state(), epochsCompleted: this.epochsDone } satisfies TrainingState;
    }
    if (Object.keys(metadata).length > 0) extra.userDefinedMetadata = metadata;
    return encodeArtifacts(this.toTopology(), this.getWeights(), extra);
  }

  /** Epochs completed over the model's whole training, saved and loaded with the optimizer state. */
  get epochsCompleted(): number {
    return this.epochsDone;
  }

  /**
   * Restores optimizer state saved by toArtifacts({ includeOptimizer: true }) (after compile with
   * the same optimizer): every slot by name, the iteration count, and, when given, the
   * generator's state and the epochs completed. Throws naming the first mismatch.
   */
  setOptimizerWeights(weights: readonly NamedWeight[], training?: TrainingState): void {
    const { arena } = this.requireBuilt('setOptimizerWeights');
    restoreOptimizerState(this.layers, arena, this.requireCompiled('setOptimizerWeights').optimizer, weights);
    if (training) {
      this.rng.restore(training.random);
      this.epochsDone = training.epochsCompleted;
    }
  }

  /**
   * Saves in the TF.js LayersModel format: to a directory ('file://./model' or a path, in Node),
   * or to any function that stores the artifacts. Directory saves are atomic as a whole.
   */
  async save(target: string | ((artifacts: ModelArtifacts) => Promise<void> | void), options: SaveOptions = {}): Promise<void> {
    const artifacts = this.toArtifacts(options);
    if (typeof target === 'function') await target(artifacts);
    else await saveHandler(target)(target, artifacts);
  }

  /** Releases the backend's worker threads. The model cannot be used afterwards. */
  dispose(): void {
    this.built?.arena.backend.dispose();
    this.built = null;
    this.building = null;
    this.disposed = true;
  }

  // --- internals -------------------------------------------------------------

  /** Builds every layer's shapes (no memory yet) and checks the model fits in an arena. */
  private ensureShapes(): void {
    if (this.shapesReady) return;
    if (this.layers.length === 0) throw new Error('Sequential: the model has no layers');
    const first = this.layers[0]!;
    if (!first.declaredInputShape) throw new Error(`Sequential: the first layer ('${first.name ?? first.className}') needs an inputShape, e.g. inputShape: [28, 28, 1]`);
    assignLayerNames(this.layers);
    let shape = first.declaredInputShape;
    for (const layer of this.layers) {
      if (layer !== first && layer.declaredInputShape && formatShape(layer.declaredInputShape) !== formatShape(shape)) {
        throw new Error(`Sequential: layer '${layer.name}' declares inputShape ${formatShape(layer.declaredInputShape)} but receives ${formatShape(shape)}`);
      }
      layer.build(shape);
      shape = layer.outputShape;
    }
    checkAugmentationPlacement(this.layers);
    checkModelSize(this.layers);
    this.shapesReady = true;
  }

  private ensureBuilt(what: string): Promise<Built> {
    this.assertUsable(what);
    if (this.built) return Promise.resolve(this.built);
    this.ensureShapes();
    this.building ??= this.createArena().then(
      (built) => {
        if (this.disposed) {
          built.arena.backend.dispose();
          throw new Error(`${what}: the model was disposed while it was being built`);
        }
        this.built = built;
        return built;
      },
      (error: unknown) => {
        this.building = null; // a later call may try again
        throw error;
      },
    );
    return this.building;
  }

  private async createArena(): Promise<Built> {
    const backend =
      typeof this.backendChoice === 'object' ? this.backendChoice : await createBackend(this.backendChoice ?? 'auto', this.threads === undefined ? {} : { threads: this.threads });
    const arena = new ModelArena(backend, this.layers, this.rng);
    arena.setOptimizerSlots(this.compiled?.optimizer.slotNames.length ?? 0);
    // Imported only for models with a BatchNormalization: other apps do not ship the folding code.
    const bnFold = this.layers.some((l) => l.className === 'BatchNormalization') ? new (await import('./bn-fold.js')).BnFold(this.layers, arena, registeredLayer) : null;
    return { arena, passes: new Passes(this.layers, arena, this.rng, bnFold) };
  }

  private loopModel(built: Built, compiled: Compiled): LoopModel {
    const model = this;
    return {
      ...built,
      ...compiled,
      layers: this.layers,
      rng: this.rng,
      inputShape: this.inputShape,
      outputShape: this.outputShape,
      get stopTraining() {
        return model.stopTraining;
      },
      callbackModel: this,
      onEpochDone: (epoch) => void (this.epochsDone = epoch + 1),
    };
  }

  private assertUsable(what: string): void {
    if (this.disposed) throw new Error(`${what}: the model was disposed; load or create a new one`);
  }

  private requireCompiled(what: string): Compiled {
    this.assertUsable(what);
    if (!this.compiled) throw new Error(`${what}: call model.compile({ optimizer, loss }) first`);
    return this.compiled;
  }

  private requireBuilt(what: string): Built {
    this.assertUsable(what);
    if (!this.built) throw new Error(`${what}: the model has no weights yet; call await model.build() (or fit/predict) first`);
    return this.built;
  }
}

/** epochs a positive integer and initialEpoch in [0, epochs); returns epochs. */
function checkEpochs(epochs: number, initialEpoch: number, what: string): number {
  if (!Number.isInteger(epochs) || epochs < 1) throw new Error(`${what}: epochs must be a positive integer, got ${epochs}`);
  if (!Number.isInteger(initialEpoch) || initialEpoch < 0 || initialEpoch >= epochs) {
    throw new Error(`${what}: initialEpoch must be an integer in [0, epochs), got ${initialEpoch} with epochs ${epochs}`);
  }
  return epochs;
}
