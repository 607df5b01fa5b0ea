import type { Backend, BackendName } from '../kernels/backend.js';
import type { Ptr } from '../kernels/kernels.js';
import { createBackend } from '../kernels/index.js';
import { initialize } from '../init.js';
import type { Layer, StepContext } from '../layers/layer.js';
import { checkLoss, fusesWithSoftmax, lossForwardBackward, lossKerasNames, type LossName } from '../losses.js';
import { MemoryPlan } from '../memory-plan.js';
import { optimizerFromName, type Optimizer } from '../optimizers.js';
import { Random } from '../random.js';
import { formatShape, shapeSize, Tensor, type Shape } from '../tensor.js';
import { defaultOutput, EpochProgress, formatLogs, now, type Logs, type ProgressOutput } from './progress.js';
import { formatSummary } from './summary.js';
import { modelTopology } from './topology.js';
import { encodeArtifacts, type ModelArtifacts, type NamedWeight } from './weights-format.js';
import { saveHandler } from './handlers.js';

export interface SequentialOptions {
  name?: string;
  /** Seeds weight init, shuffling and dropout (default 42): same seed, same run. */
  seed?: number;
  /** 'wasm' (default where WebAssembly works), 'js' (plain-TS reference), or a backend instance. */
  backend?: BackendName | Backend;
  /** WASM worker threads (default: WASMNN_THREADS, else 2 in Node on 2+ cores, else 1). */
  threads?: number;
}

export interface CompileArgs {
  optimizer: Optimizer | string;
  loss: LossName;
  metrics?: string[];
}

export interface Callbacks {
  onTrainBegin?: () => void | Promise<void>;
  onEpochBegin?: (epoch: number) => void | Promise<void>;
  onBatchEnd?: (step: number, logs: Logs) => void | Promise<void>;
  onEpochEnd?: (epoch: number, logs: Logs) => void | Promise<void>;
  onTrainEnd?: (logs: Logs) => void | Promise<void>;
}

export interface FitArgs {
  batchSize?: number;
  epochs?: number;
  shuffle?: boolean;
  validationData?: [Tensor, Tensor];
  /** Fraction of the LAST samples held out for validation (taken before shuffling, as Keras does). */
  validationSplit?: number;
  callbacks?: Callbacks | Callbacks[];
  /** 0 silent, 1 progress bar (default), 2 one line per epoch. */
  verbose?: 0 | 1 | 2;
  /** Where progress goes (default: stdout in Node, console in browsers). */
  output?: ProgressOutput;
}

export interface History {
  epoch: number[];
  history: Record<string, number[]>;
}

export interface EvaluateResult {
  loss: number;
  accuracy?: number;
}

const LAYER_NAME_PREFIX: Record<string, string> = {
  Conv2D: 'conv2d',
  Dense: 'dense',
  MaxPooling2D: 'max_pooling2d',
  Flatten: 'flatten',
  Dropout: 'dropout',
  Activation: 'activation',
};

/** Arena regions of a built model: parameters, their gradients and optimizer slots, laid out in parallel. */
interface Persistent {
  backend: Backend;
  params: Ptr;
  grads: Ptr;
  slots: [Ptr, Ptr];
  end: Ptr;
}

/** Per-batch-size regions, planned once for the largest batch used. */
interface BatchPlan {
  maxBatch: number;
  input: Ptr;
  target: Ptr;
  scratch: Ptr;
  gradA: Ptr;
  gradB: Ptr;
}

/** A linear stack of layers with Keras' compile / fit / evaluate / predict. */
export class Sequential {
  readonly layers: Layer[] = [];
  readonly name: string;
  /** Set to true (e.g. from a callback) to stop fit() after the current batch. */
  stopTraining = false;
  private readonly rng: Random;
  private readonly backendChoice: BackendName | Backend | undefined;
  private readonly threads: number | undefined;
  private shapesReady = false;
  private persistent: Persistent | null = null;
  private batchPlan: BatchPlan | null = null;
  private optimizer: Optimizer | null = null;
  private loss: LossName | null = null;
  private metrics: string[] = [];

  constructor(layers: Layer[] = [], options: SequentialOptions = {}) {
    this.name = options.name ?? 'sequential';
    this.rng = new Random(options.seed ?? 42);
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

  get paramCount(): number {
    this.ensureShapes();
    return this.layers.reduce((n, l) => n + l.paramCount, 0);
  }

  /** The backend computing this model (after build). */
  get backend(): Backend | null {
    return this.persistent?.backend ?? null;
  }

  compile(args: CompileArgs): void {
    this.ensureShapes();
    this.optimizer = typeof args.optimizer === 'string' ? optimizerFromName(args.optimizer) : args.optimizer;
    this.loss = checkLoss(args.loss);
    for (const m of args.metrics ?? []) {
      if (m !== 'accuracy' && m !== 'acc') throw new Error(`compile: unsupported metric '${m}'; supported: accuracy`);
    }
    this.metrics = (args.metrics ?? []).length ? ['accuracy'] : [];
    const last = this.layers[this.layers.length - 1]!;
    const softmaxLast = (last as { activation?: string }).activation === 'softmax';
    for (const l of this.layers) l.lossGivesPreActivationGrad = false;
    last.lossGivesPreActivationGrad = softmaxLast && fusesWithSoftmax(this.loss);
    if (this.persistent) this.resetOptimizerState();
  }

  summary(print: (text: string) => void = console.log): void {
    this.ensureShapes();
    print(formatSummary(this.name, this.layers));
  }

  /** Creates the backend, places parameters in its arena and initializes them. Called by fit/evaluate/predict. */
  async build(): Promise<void> {
    this.ensureShapes();
    if (this.persistent) return;
    const backend =
      typeof this.backendChoice === 'object' ? this.backendChoice : await createBackend(this.backendChoice ?? 'auto', this.threads === undefined ? {} : { threads: this.threads });
    const total = this.paramCount;
    const memory = new MemoryPlan(backend.base);
    const params = memory.alloc(total);
    const grads = memory.alloc(total);
    const slots: [Ptr, Ptr] = [memory.alloc(total), memory.alloc(total)];
    backend.reserve(memory.end);
    let offset = 0;
    const f32 = backend.f32();
    for (const layer of this.layers) {
      for (const p of layer.params) {
        p.ptr = params + offset;
        p.grad = grads + offset;
        initialize(p.initializer, p.shape, f32.subarray(p.ptr, p.ptr + p.size), this.rng);
        offset += p.size;
      }
    }
    this.persistent = { backend, params, grads, slots, end: memory.end };
    this.resetOptimizerState();
  }

  async fit(x: Tensor, y: Tensor, args: FitArgs = {}): Promise<History> {
    const { loss, optimizer } = this.requireCompiled('fit');
    const batchSize = checkBatchSize(args.batchSize ?? 32, 'fit');
    const epochs = args.epochs ?? 1;
    if (!Number.isInteger(epochs) || epochs < 1) throw new Error(`fit: epochs must be a positive integer, got ${epochs}`);
    this.checkData(x, y, 'fit');
    let trainX = x;
    let trainY = y;
    let validation = args.validationData;
    if (validation) this.checkData(validation[0], validation[1], 'fit validationData');
    if (args.validationSplit !== undefined) {
      if (validation) throw new Error('fit: give validationData or validationSplit, not both');
      if (!(args.validationSplit > 0 && args.validationSplit < 1)) throw new Error(`fit: validationSplit must be in (0, 1), got ${args.validationSplit}`);
      const split = Math.floor(x.shape[0]! * (1 - args.validationSplit));
      if (split < 1 || split >= x.shape[0]!) throw new Error(`fit: validationSplit ${args.validationSplit} leaves no training or no validation samples`);
      trainX = x.slice(0, split);
      trainY = y.slice(0, split);
      validation = [x.slice(split, x.shape[0]!), y.slice(split, y.shape[0]!)];
    }
    await this.build();
    const { backend, params, grads, slots } = this.persistent!;
    let plan = this.planBatches(batchSize);
    let ctx = this.stepContext(true);
    const n = trainX.shape[0]!;
    const steps = Math.ceil(n / batchSize);
    const order = new Int32Array(n).map((_, i) => i);
    const callbacks = args.callbacks === undefined ? [] : Array.isArray(args.callbacks) ? args.callbacks : [args.callbacks];
    const verbose = args.verbose ?? 1;
    const out = args.output ?? defaultOutput();
    const history: History = { epoch: [], history: {} };
    const totalParams = this.paramCount;
    const classes = shapeSize(this.outputShape);
    const optimizerSlots = slots.slice(0, optimizer.slots);
    this.stopTraining = false;
    for (const c of callbacks) await c.onTrainBegin?.();
    let lastLogs: Logs = {};
    for (let epoch = 0; epoch < epochs && !this.stopTraining; epoch++) {
      for (const c of callbacks) await c.onEpochBegin?.(epoch);
      if (args.shuffle ?? true) this.rng.shuffle(order);
      if (verbose) out.line(`Epoch ${epoch + 1}/${epochs}`);
      const progress = verbose === 1 ? new EpochProgress(steps, out) : null;
      let lossSum = 0;
      let correct = 0;
      let seen = 0;
      let lastYield = now();
      for (let step = 0; step < steps && !this.stopTraining; step++) {
        // A callback that evaluated or predicted with a larger batch re-planned the activations:
        // follow the new plan (it holds this batch size too; no state lives in it between steps).
        if (this.batchPlan !== plan) {
          plan = this.batchPlan!;
          ctx = this.stepContext(true);
        }
        const start = step * batchSize;
        const rows = Math.min(batchSize, n - start);
        this.loadBatch(trainX, trainY, order, start, rows, plan);
        const out_ = this.forward(ctx, plan.input, rows);
        const stepLoss = lossForwardBackward(backend, loss, this.lossFusedWithSoftmax, out_, plan.target, plan.gradA, rows, classes);
        if (!Number.isFinite(stepLoss)) {
          throw new Error(
            `fit: loss is ${stepLoss} at epoch ${epoch + 1}, step ${step + 1}; training stopped before this step changed any weight. ` +
              'Lower the learning rate, or check the inputs and targets.',
          );
        }
        if (this.metrics.length) correct += this.countCorrect(out_, plan.target, rows, classes);
        this.backward(ctx, plan, rows);
        optimizer.step(backend, params, grads, optimizerSlots, totalParams);
        lossSum += stepLoss * rows;
        seen += rows;
        const logs = this.logs(lossSum / seen, correct / seen);
        progress?.update(step + 1, logs);
        for (const c of callbacks) await c.onBatchEnd?.(step, logs);
        // Let timers, I/O and UI run during long epochs.
        if (now() - lastYield > 0.2) {
          await new Promise((r) => setTimeout(r, 0));
          lastYield = now();
        }
      }
      const logs = this.logs(lossSum / Math.max(seen, 1), correct / Math.max(seen, 1));
      if (validation) {
        const v = await this.evaluate(validation[0], validation[1], { batchSize });
        logs['val_loss'] = v.loss;
        if (v.accuracy !== undefined) logs['val_accuracy'] = v.accuracy;
      }
      if (progress) progress.end(logs);
      else if (verbose === 2) out.line(`epoch ${epoch + 1}/${epochs}${formatLogs(logs)}`);
      history.epoch.push(epoch);
      for (const [k, v] of Object.entries(logs)) (history.history[k] ??= []).push(v);
      for (const c of callbacks) await c.onEpochEnd?.(epoch, logs);
      lastLogs = logs;
    }
    for (const c of callbacks) await c.onTrainEnd?.(lastLogs);
    return history;
  }

  async evaluate(x: Tensor, y: Tensor, args: { batchSize?: number } = {}): Promise<EvaluateResult> {
    const { loss } = this.requireCompiled('evaluate');
    this.checkData(x, y, 'evaluate');
    const batchSize = checkBatchSize(args.batchSize ?? 32, 'evaluate');
    await this.build();
    const plan = this.planBatches(batchSize);
    const ctx = this.stepContext(false);
    const backend = this.persistent!.backend;
    const n = x.shape[0]!;
    const classes = shapeSize(this.outputShape);
    let lossSum = 0;
    let correct = 0;
    for (let start = 0; start < n; start += batchSize) {
      const rows = Math.min(batchSize, n - start);
      this.loadBatch(x, y, null, start, rows, plan);
      const out = this.forward(ctx, plan.input, rows);
      lossSum += lossForwardBackward(backend, loss, this.lossFusedWithSoftmax, out, plan.target, plan.gradA, rows, classes) * rows;
      if (this.metrics.length) correct += this.countCorrect(out, plan.target, rows, classes);
    }
    const result: EvaluateResult = { loss: lossSum / n };
    if (this.metrics.length) result.accuracy = correct / n;
    return result;
  }

  /** Runs the model on x ([n, ...inputShape]) and returns the outputs ([n, ...outputShape]). */
  async predict(x: Tensor, args: { batchSize?: number } = {}): Promise<Tensor> {
    this.ensureShapes();
    this.checkInput(x, 'predict');
    const batchSize = checkBatchSize(args.batchSize ?? 32, 'predict');
    await this.build();
    const n = x.shape[0]!;
    const plan = this.planBatches(Math.min(batchSize, Math.max(n, 1)));
    const ctx = this.stepContext(false);
    const outSize = shapeSize(this.outputShape);
    const inSize = shapeSize(this.inputShape);
    const result = new Float32Array(n * outSize);
    for (let start = 0; start < n; start += plan.maxBatch) {
      const rows = Math.min(plan.maxBatch, n - start);
      const backend = this.persistent!.backend;
      backend.f32().set(x.data.subarray(start * inSize, (start + rows) * inSize), plan.input);
      const out = this.forward(ctx, plan.input, rows);
      result.set(backend.f32().subarray(out, out + rows * outSize), start * outSize);
    }
    return new Tensor(result, [n, ...this.outputShape]);
  }

  /** Copies of every parameter, named as in model files ('conv2d/kernel'). */
  getWeights(): NamedWeight[] {
    const { backend } = this.requireBuilt('getWeights');
    const f32 = backend.f32();
    return this.layers.flatMap((layer) =>
      layer.params.map((p) => ({ name: `${layer.name}/${p.name}`, shape: [...p.shape], data: f32.slice(p.ptr, p.ptr + p.size) })),
    );
  }

  /** Sets every parameter from named arrays; names and shapes must match exactly. */
  setWeights(weights: readonly NamedWeight[]): void {
    const { backend } = this.requireBuilt('setWeights');
    const byName = new Map(weights.map((w) => [w.name, w]));
    const expected = this.layers.flatMap((layer) => layer.params.map((p) => ({ name: `${layer.name}/${p.name}`, p })));
    for (const { name, p } of expected) {
      const w = byName.get(name);
      if (!w) throw new Error(`setWeights: no weight named '${name}' (got: ${[...byName.keys()].join(', ') || 'none'})`);
      if (w.shape.length !== p.shape.length || w.shape.some((d, i) => d !== p.shape[i])) {
        throw new Error(`setWeights: weight '${name}' has shape [${w.shape.join(', ')}] but the layer needs [${p.shape.join(', ')}]`);
      }
      if (w.data.length !== p.size) throw new Error(`setWeights: weight '${name}' holds ${w.data.length} values, needs ${p.size}`);
    }
    const extra = [...byName.keys()].filter((k) => !expected.some((e) => e.name === k));
    if (extra.length) throw new Error(`setWeights: unexpected weights ${extra.join(', ')}`);
    const f32 = backend.f32();
    for (const { name, p } of expected) f32.set(byName.get(name)!.data, p.ptr);
  }

  /** Keras/TF.js modelTopology JSON. */
  toTopology(): Record<string, unknown> {
    this.ensureShapes();
    return modelTopology(this.name, this.layers);
  }

  /** The trainingConfig of model files (loss, metrics, optimizer as TF.js names them), when compiled. */
  trainingConfig(): Record<string, unknown> | null {
    if (!this.optimizer || !this.loss) return null;
    const config: Record<string, unknown> = { loss: lossKerasNames[this.loss], metrics: this.metrics };
    const optimizer = this.optimizer.toTfjs();
    if (optimizer) config['optimizer_config'] = optimizer;
    return config;
  }

  /** model.json + weight bytes in the TF.js LayersModel format. */
  toArtifacts(): { modelJson: ModelArtifacts['modelJson']; weightData: Uint8Array } {
    const trainingConfig = this.trainingConfig();
    return encodeArtifacts(this.toTopology(), this.getWeights(), trainingConfig ? { trainingConfig } : {});
  }

  /**
   * Saves in the TF.js LayersModel format: to a directory ('file://./model' or a path, in Node),
   * or to any function that stores the artifacts.
   */
  async save(target: string | ((artifacts: ModelArtifacts) => Promise<void> | void)): Promise<void> {
    const artifacts = this.toArtifacts();
    if (typeof target === 'function') await target(artifacts);
    else await saveHandler(target)(target, artifacts);
  }

  /** Releases the backend's worker threads. */
  dispose(): void {
    this.persistent?.backend.dispose();
    this.persistent = null;
    this.batchPlan = null;
  }

  // --- internals -------------------------------------------------------------

  private ensureShapes(): void {
    if (this.shapesReady) return;
    if (this.layers.length === 0) throw new Error('Sequential: the model has no layers');
    const first = this.layers[0]!;
    if (!first.declaredInputShape) throw new Error(`Sequential: the first layer ('${first.name ?? first.className}') needs an inputShape, e.g. inputShape: [28, 28, 1]`);
    const used = new Set(this.layers.map((l) => l.name).filter((n): n is string => !!n));
    const counters = new Map<string, number>();
    for (const layer of this.layers) {
      if (layer.name) continue;
      const prefix = LAYER_NAME_PREFIX[layer.className] ?? layer.className.toLowerCase();
      let k = counters.get(prefix) ?? 0;
      let name: string;
      do name = k === 0 ? prefix : `${prefix}_${k}`, k++;
      while (used.has(name));
      counters.set(prefix, k);
      used.add(name);
      layer.name = name;
    }
    if (used.size !== this.layers.length) throw new Error(`Sequential: layer names must be unique (${this.layers.map((l) => l.name).join(', ')})`);
    let shape = first.declaredInputShape;
    for (const layer of this.layers) {
      if (layer !== first && layer.declaredInputShape && formatShape(layer.declaredInputShape) !== formatShape(shape)) {
        throw new Error(`Sequential: layer '${layer.name}' declares inputShape ${formatShape(layer.declaredInputShape)} but receives ${formatShape(shape)}`);
      }
      layer.build(shape);
      shape = layer.outputShape;
    }
    this.shapesReady = true;
  }

  private requireCompiled(what: string): { loss: LossName; optimizer: Optimizer } {
    if (!this.loss || !this.optimizer) throw new Error(`${what}: call model.compile({ optimizer, loss }) first`);
    return { loss: this.loss, optimizer: this.optimizer };
  }

  private requireBuilt(what: string): Persistent {
    if (!this.persistent) throw new Error(`${what}: the model has no weights yet; call await model.build() (or fit/predict) first`);
    return this.persistent;
  }

  private resetOptimizerState(): void {
    const { backend, slots } = this.persistent!;
    const total = this.paramCount;
    for (const s of slots) backend.fill(s, total, 0);
    if (this.optimizer) this.optimizer.iterations = 0;
  }

  /** Places inputs, targets, activations, scratch and the two gradient buffers for batches up to maxBatch. */
  private planBatches(maxBatch: number): BatchPlan {
    const current = this.batchPlan;
    if (current && current.maxBatch >= maxBatch) return current;
    const { backend, end } = this.persistent!;
    const memory = new MemoryPlan(end);
    const input = memory.alloc(maxBatch * shapeSize(this.inputShape));
    const target = memory.alloc(maxBatch * shapeSize(this.outputShape));
    let widest = shapeSize(this.inputShape);
    let scratchSize = 0;
    for (const layer of this.layers) {
      layer.plan(memory, maxBatch);
      widest = Math.max(widest, shapeSize(layer.outputShape));
      scratchSize = Math.max(scratchSize, layer.scratchSize(maxBatch));
    }
    const scratch = memory.alloc(scratchSize);
    // Backward needs only dLoss/dOutput and dLoss/dInput of one layer at a time: two buffers ping-pong.
    const gradA = memory.alloc(maxBatch * widest);
    const gradB = memory.alloc(maxBatch * widest);
    backend.reserve(memory.end);
    this.batchPlan = { maxBatch, input, target, scratch, gradA, gradB };
    return this.batchPlan;
  }

  private stepContext(training: boolean): StepContext {
    const rng = this.rng;
    return { backend: this.persistent!.backend, scratch: this.batchPlan!.scratch, training, nextSeed: () => rng.nextUint32() | 0 };
  }

  /** Whether the loss hands the last layer dLoss/dlogits (softmax + cross-entropy fused), set by compile. */
  private get lossFusedWithSoftmax(): boolean {
    return this.layers[this.layers.length - 1]!.lossGivesPreActivationGrad;
  }

  private forward(ctx: StepContext, input: Ptr, rows: number): Ptr {
    let x = input;
    for (const layer of this.layers) x = layer.forward(ctx, x, rows);
    return x;
  }

  private backward(ctx: StepContext, plan: BatchPlan, rows: number): void {
    let dy = plan.gradA;
    for (let i = this.layers.length - 1; i >= 0; i--) {
      const other = dy === plan.gradA ? plan.gradB : plan.gradA;
      const dx = this.layers[i]!.backward(ctx, dy, i === 0 ? null : other, rows);
      if (i > 0) dy = dx!;
    }
  }

  /** Copies `rows` samples (in `order`, or sequentially) into the input and one-hot target buffers. */
  private loadBatch(x: Tensor, y: Tensor, order: Int32Array | null, start: number, rows: number, plan: BatchPlan): void {
    const f32 = this.persistent!.backend.f32();
    const inSize = shapeSize(this.inputShape);
    const classes = shapeSize(this.outputShape);
    const sparse = this.loss === 'sparseCategoricalCrossentropy';
    if (sparse) f32.fill(0, plan.target, plan.target + rows * classes);
    // Plain copy loops rather than set(subarray(...)): no view object per sample in the step.
    const xs = x.data;
    const ys = y.data;
    for (let r = 0; r < rows; r++) {
      const i = order ? order[start + r]! : start + r;
      copy(xs, i * inSize, f32, plan.input + r * inSize, inSize);
      if (sparse) f32[plan.target + r * classes + ys[i]!] = 1;
      else copy(ys, i * classes, f32, plan.target + r * classes, classes);
    }
  }

  private countCorrect(out: Ptr, target: Ptr, rows: number, cols: number): number {
    const f32 = this.persistent!.backend.f32();
    let correct = 0;
    for (let r = 0; r < rows; r++) {
      let best = 0;
      let truth = 0;
      for (let c = 1; c < cols; c++) {
        if (f32[out + r * cols + c]! > f32[out + r * cols + best]!) best = c;
        if (f32[target + r * cols + c]! > f32[target + r * cols + truth]!) truth = c;
      }
      if (best === truth) correct++;
    }
    return correct;
  }

  private logs(loss: number, accuracy: number): Logs {
    return this.metrics.length ? { loss, accuracy } : { loss };
  }

  private checkInput(x: Tensor, what: string): void {
    if (!(x instanceof Tensor)) throw new Error(`${what}: x must be a Tensor (use tensor(data, shape))`);
    const shape = this.inputShape;
    // Compared dimension by dimension: predict on one image runs this per call (strings cost µs).
    if (x.shape.length !== shape.length + 1 || shape.some((d, i) => x.shape[i + 1] !== d)) {
      throw new Error(`${what}: x has shape ${formatShape(x.shape.slice(1), x.shape[0])} but the model expects ${formatShape(shape)}`);
    }
  }

  private checkData(x: Tensor, y: Tensor, what: string): void {
    this.checkInput(x, what);
    if (!(y instanceof Tensor)) throw new Error(`${what}: y must be a Tensor`);
    const n = x.shape[0]!;
    if (y.shape[0] !== n) throw new Error(`${what}: x has ${n} samples but y has ${y.shape[0]}`);
    if (n === 0) throw new Error(`${what}: no samples`);
    const classes = shapeSize(this.outputShape);
    if (this.loss === 'sparseCategoricalCrossentropy') {
      if (y.size !== n) throw new Error(`${what}: sparse labels must have shape [${n}] or [${n}, 1], got [${y.shape.join(', ')}]`);
      for (let i = 0; i < n; i++) {
        const k = y.data[i]!;
        if (!Number.isInteger(k) || k < 0 || k >= classes) throw new Error(`${what}: label ${k} of sample ${i} is not a class index in [0, ${classes})`);
      }
    } else if (formatShape(y.shape.slice(1)) !== formatShape(this.outputShape)) {
      throw new Error(`${what}: y has shape ${formatShape(y.shape.slice(1), n)} but the model outputs ${formatShape(this.outputShape, n)}`);
    }
    const bad = x.data.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new Error(`${what}: x holds ${x.data[bad]} at sample ${Math.floor(bad / shapeSize(this.inputShape))}`);
  }
}

function copy(from: Float32Array, fromIndex: number, to: Float32Array, toIndex: number, n: number): void {
  for (let k = 0; k < n; k++) to[toIndex + k] = from[fromIndex + k]!;
}

function checkBatchSize(b: number, what: string): number {
  if (!Number.isInteger(b) || b < 1) throw new Error(`${what}: batchSize must be a positive integer, got ${b}`);
  return b;
}
