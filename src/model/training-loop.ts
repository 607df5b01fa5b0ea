import type { Layer } from '../layers/layer.js';
import { lossForwardBackward, type LossName } from '../losses.js';
import type { Optimizer } from '../optimizers.js';
import type { Random } from '../random.js';
import { shapeSize, Tensor, type Shape } from '../tensor.js';
import type { ModelArena } from './arena.js';
import type { Metric } from './metrics.js';
import type { ModelArtifacts } from './weights-format.js';
import type { LossFusion } from './loss-fusion.js';
import { nonFiniteError, type FitData } from './input-checks.js';
import type { Passes } from './passes.js';
import { defaultOutput, EpochProgress, formatLogs, now, type Logs, type ProgressOutput } from './progress.js';

/** Keras-style hooks into fit; each may be async (fit awaits it). */
export interface Callbacks {
  onTrainBegin?: () => void | Promise<void>;
  onEpochBegin?: (epoch: number) => void | Promise<void>;
  onBatchEnd?: (step: number, logs: Logs) => void | Promise<void>;
  onEpochEnd?: (epoch: number, logs: Logs) => void | Promise<void>;
  onTrainEnd?: (logs: Logs) => void | Promise<void>;
}

export interface FitArgs {
  batchSize?: number;
  /** The epoch to end after, counted from 0 over the model's whole training (Keras' meaning). */
  epochs?: number;
  /**
   * The epoch to start at (default 0), to resume a model saved with its optimizer state and
   * loaded again: epochs initialEpoch..epochs−1 run, and callbacks see those numbers.
   */
  initialEpoch?: number;
  /**
   * Where to save a checkpoint after every epoch: the model with its optimizer state, as
   * save(target, { includeOptimizer: true }) writes it (a directory in Node, atomically; or a
   * function that stores the artifacts). loadModel + fit({ initialEpoch: model.epochsCompleted })
   * resumes from it.
   */
  checkpoint?: string | ((artifacts: ModelArtifacts) => Promise<void> | void);
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
  /** Each compiled metric, by its key. */
  accuracy?: number;
  mae?: number;
  mse?: number;
}

/** A compiled, built model as the loops see it. */
export interface LoopModel {
  readonly layers: readonly Layer[];
  readonly arena: ModelArena;
  readonly passes: Passes;
  readonly rng: Random;
  readonly inputShape: Shape;
  readonly outputShape: Shape;
  readonly loss: LossName;
  readonly fusion: LossFusion;
  readonly optimizer: Optimizer;
  readonly metrics: readonly Metric[];
  /** Read live: a callback sets it to stop after the current batch. */
  readonly stopTraining: boolean;
  /** Told when an epoch has finished (before onEpochEnd, so a checkpoint saved there counts it). */
  onEpochDone(epoch: number): void;
}

/** A long epoch yields to timers, I/O and the page this often (seconds). */
const YIELD_EVERY = 0.2;

export async function fitLoop(m: LoopModel, data: FitData, batchSize: number, initialEpoch: number, epochs: number, args: FitArgs): Promise<History> {
  const { arena, passes, optimizer, loss, fusion } = m;
  const backend = arena.backend;
  const n = data.x.shape[0]!;
  const steps = Math.ceil(n / batchSize);
  const order = new Int32Array(n);
  const callbacks = callbackList(args.callbacks);
  const verbose = args.verbose ?? 1;
  const out = args.output ?? defaultOutput();
  const history: History = { epoch: [], history: {} };
  const sparse = loss === 'sparseCategoricalCrossentropy';
  // Frozen layers may change between fits, not during one.
  const runs = arena.trainableRuns();
  const lowest = m.layers.findIndex((l) => l.computesParamGrads);
  let plan = arena.planBatches(batchSize, passes.inputSize, passes.classes);
  let ctx = passes.context(plan, true);
  for (const c of callbacks) await c.onTrainBegin?.();
  let lastLogs: Logs = {};
  for (let epoch = initialEpoch; epoch < epochs && !m.stopTraining; epoch++) {
    for (const c of callbacks) await c.onEpochBegin?.(epoch);
    // Each epoch's order depends only on the generator's state, so a run resumed from a
    // checkpoint (which keeps that state) shuffles as the uninterrupted run did.
    for (let i = 0; i < n; i++) order[i] = i;
    if (args.shuffle ?? true) m.rng.shuffle(order);
    if (verbose) out.line(`Epoch ${epoch + 1}/${epochs}`);
    const progress = verbose === 1 ? new EpochProgress(steps, out) : null;
    let lossSum = 0;
    const sums = new Float64Array(m.metrics.length);
    let seen = 0;
    let lastYield = now();
    for (let step = 0; step < steps && !m.stopTraining; step++) {
      // A callback that evaluated or predicted with a larger batch re-planned the activations:
      // follow the new plan (it holds this batch size too; no state lives in it between steps).
      if (arena.currentBatchPlan !== plan) {
        plan = arena.currentBatchPlan!;
        ctx = passes.context(plan, true);
      }
      const start = step * batchSize;
      const rows = Math.min(batchSize, n - start);
      passes.loadBatch(data.x, data.y, order, start, rows, plan, sparse);
      const output = passes.forward(ctx, plan.input, rows);
      const stepLoss = lossForwardBackward(backend, loss, fusion, output, plan.target, plan.gradA, rows, passes.classes);
      if (!Number.isFinite(stepLoss)) {
        throw new Error(
          `fit: loss is ${stepLoss} at epoch ${epoch + 1}, step ${step + 1}; training stopped before this step changed any weight. ` +
            'Lower the learning rate, or check the inputs and targets.',
        );
      }
      for (let k = 0; k < sums.length; k++) sums[k]! += m.metrics[k]!.batchSum(passes, output, plan.target, rows);
      if (lowest >= 0) {
        passes.backward(ctx, plan, rows, lowest);
        optimizer.step(backend, runs);
      }
      lossSum += stepLoss * rows;
      seen += rows;
      const logs = epochLogs(m, lossSum, sums, seen);
      progress?.update(step + 1, logs);
      for (const c of callbacks) await c.onBatchEnd?.(step, logs);
      if (now() - lastYield > YIELD_EVERY) {
        await new Promise((r) => setTimeout(r, 0));
        lastYield = now();
      }
    }
    const logs = epochLogs(m, lossSum, sums, Math.max(seen, 1));
    if (data.validation) {
      const v = evaluateLoop(m, data.validation[0], data.validation[1], batchSize);
      for (const [k, value] of Object.entries(v)) logs[`val_${k}`] = value;
    }
    if (progress) progress.end(logs);
    else if (verbose === 2) out.line(`epoch ${epoch + 1}/${epochs}${formatLogs(logs)}`);
    history.epoch.push(epoch);
    for (const [k, v] of Object.entries(logs)) (history.history[k] ??= []).push(v);
    m.onEpochDone(epoch);
    for (const c of callbacks) await c.onEpochEnd?.(epoch, logs);
    lastLogs = logs;
  }
  for (const c of callbacks) await c.onTrainEnd?.(lastLogs);
  return history;
}

/** Mean loss (and accuracy when compiled with it) over x, y in batches; changes no weight. */
export function evaluateLoop(m: LoopModel, x: Tensor, y: Tensor, batchSize: number): EvaluateResult {
  const { arena, passes } = m;
  const plan = arena.planBatches(batchSize, passes.inputSize, passes.classes);
  const ctx = passes.context(plan, false);
  const sparse = m.loss === 'sparseCategoricalCrossentropy';
  const n = x.shape[0]!;
  let lossSum = 0;
  const sums = new Float64Array(m.metrics.length);
  for (let start = 0; start < n; start += batchSize) {
    const rows = Math.min(batchSize, n - start);
    passes.loadBatch(x, y, null, start, rows, plan, sparse);
    const output = passes.forward(ctx, plan.input, rows);
    lossSum += lossForwardBackward(arena.backend, m.loss, m.fusion, output, plan.target, plan.gradA, rows, passes.classes) * rows;
    for (let k = 0; k < sums.length; k++) sums[k]! += m.metrics[k]!.batchSum(passes, output, plan.target, rows);
  }
  return epochLogs(m, lossSum, sums, n);
}

/** The model's outputs for x ([n, ...inputShape]) as [n, ...outputShape]. */
export function predictLoop(arena: ModelArena, passes: Passes, outputShape: Shape, x: Tensor, batchSize: number): Tensor {
  const n = x.shape[0]!;
  const inSize = passes.inputSize;
  const outSize = passes.classes;
  const plan = arena.planBatches(Math.min(batchSize, Math.max(n, 1)), inSize, outSize);
  const ctx = passes.context(plan, false);
  const result = new Float32Array(n * outSize);
  for (let start = 0; start < n; start += plan.maxBatch) {
    const rows = Math.min(plan.maxBatch, n - start);
    arena.backend.f32().set(x.data.subarray(start * inSize, (start + rows) * inSize), plan.input);
    const bad = arena.backend.firstNonFinite(plan.input, rows * inSize);
    if (bad >= 0) throw nonFiniteError('predict', x, start * inSize + bad);
    const output = passes.forward(ctx, plan.input, rows);
    result.set(arena.backend.f32().subarray(output, output + rows * outSize), start * outSize);
  }
  return new Tensor(result, [n, ...outputShape]);
}

/** fit's `callbacks` option as a list. */
export function callbackList(callbacks: Callbacks | Callbacks[] | undefined): Callbacks[] {
  return callbacks === undefined ? [] : Array.isArray(callbacks) ? callbacks : [callbacks];
}

/** The loss and each metric, averaged over `seen` samples, keyed as Keras logs them. */
function epochLogs(m: LoopModel, lossSum: number, sums: Float64Array, seen: number): EvaluateResult & Logs {
  const logs: EvaluateResult & Logs = { loss: lossSum / seen };
  m.metrics.forEach((metric, k) => (logs[metric.key] = sums[k]! / seen));
  return logs;
}
