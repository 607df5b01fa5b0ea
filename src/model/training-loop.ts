import type { Layer, StepContext } from '../layers/layer.js';
import { lossForwardBackward, type Loss } from '../losses.js';
import type { Optimizer, ParamRun } from '../optimizers.js';
import type { Random } from '../random.js';
import { Tensor, type Shape } from '../tensor.js';
import type { BatchPlan, ModelArena } from './arena.js';
import type { Metric, MetricState } from './metrics.js';
import type { ModelArtifacts, NamedWeight } from './weights-format.js';
import type { LossFusion } from './loss-fusion.js';
import type { FitData } from './input-checks.js';
import type { Passes } from './passes.js';
import { defaultOutput, EpochProgress, formatLogs, now, type Logs, type ProgressOutput } from './progress.js';
import { yieldPolicy, type YieldEvery, type YieldPolicy } from './yield-policy.js';

/** What a callback may use of the model it is given (Sequential is one). */
export interface CallbackModel {
  /** Set to true to stop fit after the current batch. */
  stopTraining: boolean;
  readonly optimizer: Optimizer | null;
  getWeights(): NamedWeight[];
  setWeights(weights: readonly NamedWeight[]): void;
  save(target: string | ((artifacts: ModelArtifacts) => Promise<void> | void), options?: { includeOptimizer?: boolean }): Promise<void>;
}

/** Keras-style hooks into fit; each may be async (fit awaits it). */
export interface Callbacks {
  /** Called when fit starts, before onTrainBegin, with the model being trained. */
  setModel?: (model: CallbackModel) => void;
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
  /**
   * A loss weight per training sample ([n] or [n, 1]): the loss is the mean over a batch of
   * weight × sample loss (Keras' sum over batch size); metrics stay unweighted, as Keras' `metrics`.
   */
  sampleWeight?: Tensor | ArrayLike<number>;
  /**
   * A loss weight per class index (the label, the one-hot target's argmax, or a one-unit output's
   * rounded target), applied as sampleWeight; every class in y needs one. Both given: multiplied.
   */
  classWeight?: Readonly<Record<number, number>>;
  shuffle?: boolean;
  validationData?: [Tensor, Tensor];
  /** Fraction of the LAST samples held out for validation (taken before shuffling, as Keras does). */
  validationSplit?: number;
  callbacks?: Callbacks | Callbacks[];
  /** 0 silent, 1 progress bar (default), 2 one line per epoch. */
  verbose?: 0 | 1 | 2;
  /** Where progress goes (default: stdout in Node, console in browsers). */
  output?: ProgressOutput;
  /**
   * How often training gives the event loop a turn: a number of milliseconds, 'batch' (after
   * every batch), 'never', or 'auto' (default): on a browser page's main thread every 10 ms, so
   * frames stay under 50 ms while one batch step takes under ~20 ms; in Node and workers
   * every 200 ms, so timers, I/O and messages keep moving.
   */
  yieldEvery?: YieldEvery;
}

export interface History {
  epoch: number[];
  history: Record<string, number[]>;
}

export interface EvaluateResult {
  loss: number;
  /** Each compiled metric, by its key ('accuracy', 'mae', 'auc', …). */
  [metric: string]: number;
}

/** A compiled, built model as the loops see it. */
export interface LoopModel {
  readonly layers: readonly Layer[];
  readonly arena: ModelArena;
  readonly passes: Passes;
  readonly rng: Random;
  readonly inputShape: Shape;
  readonly outputShape: Shape;
  readonly loss: Loss;
  readonly fusion: LossFusion;
  readonly optimizer: Optimizer;
  readonly metrics: readonly Metric[];
  /** Read live: a callback sets it to stop after the current batch. */
  readonly stopTraining: boolean;
  /** The model as callbacks see it (setModel). */
  readonly callbackModel: CallbackModel;
  /** Told when an epoch has finished (before onEpochEnd, so a checkpoint saved there counts it). */
  onEpochDone(epoch: number): void;
}

export async function fitLoop(m: LoopModel, data: FitData, batchSize: number, initialEpoch: number, epochs: number, args: FitArgs): Promise<History> {
  const { arena, passes } = m;
  const n = data.x.shape[0]!;
  const steps = Math.ceil(n / batchSize);
  const order = new Int32Array(n);
  const sparse = m.loss.sparseLabels;
  const rowWeights = data.weights;
  const run = await beginFit(m, args, 'fit');
  let plan = arena.planBatches(batchSize, passes.inputSize, passes.classes);
  let ctx = passes.context(plan, true);
  for (let epoch = initialEpoch; epoch < epochs && !m.stopTraining; epoch++) {
    for (const c of run.callbacks) await c.onEpochBegin?.(epoch);
    // Each epoch's order depends only on the generator's state, so a run resumed from a
    // checkpoint (which keeps that state) shuffles as the uninterrupted run did.
    for (let i = 0; i < n; i++) order[i] = i;
    if (args.shuffle ?? true) m.rng.shuffle(order);
    const epochRun = beginEpoch(m, run, epoch, epochs, steps);
    for (let step = 0; step < steps && !m.stopTraining; step++) {
      // A callback that evaluated or predicted with a larger batch re-planned the activations:
      // follow the new plan (it holds this batch size too; no state lives in it between steps).
      if (arena.currentBatchPlan !== plan) {
        plan = arena.currentBatchPlan!;
        ctx = passes.context(plan, true);
      }
      const start = step * batchSize;
      const rows = Math.min(batchSize, n - start);
      passes.loadBatch(data.x, data.y, order, start, rows, plan, sparse, rowWeights);
      if (!(await trainStep(m, run, epochRun, ctx, plan, rows, epoch, step, rowWeights !== null))) break;
    }
    const logs = epochRun.logs();
    if (data.validation) addValidationLogs(logs, evaluateLoop(m, data.validation[0], data.validation[1], batchSize));
    await endEpoch(m, run, epochRun, epoch, epochs, logs);
  }
  return endFit(run);
}

/** What one fit or fitDataset call keeps across epochs. */
export interface FitRun {
  readonly callbacks: Callbacks[];
  readonly verbose: 0 | 1 | 2;
  readonly out: ProgressOutput;
  readonly history: History;
  /** Runs of trainable parameters: frozen layers may change between fits, not during one. */
  readonly runs: ParamRun[];
  /** The lowest layer backward reaches (−1: nothing to train). */
  readonly lowest: number;
  lastLogs: Logs;
  readonly yielding: YieldPolicy;
  /** When the loop last gave the event loop a turn (seconds, `now()`). */
  lastYield: number;
}

/** Checks `yieldEvery` (named as `what`'s option), then hands the model to the callbacks and starts them. */
export async function beginFit(
  m: LoopModel,
  args: { callbacks?: Callbacks | Callbacks[]; verbose?: 0 | 1 | 2; output?: ProgressOutput; yieldEvery?: YieldEvery },
  what: string,
): Promise<FitRun> {
  const yielding = yieldPolicy(args.yieldEvery, what);
  const run: FitRun = {
    callbacks: callbackList(args.callbacks),
    verbose: args.verbose ?? 1,
    out: args.output ?? defaultOutput(),
    history: { epoch: [], history: {} },
    runs: m.arena.trainableRuns(),
    lowest: m.layers.findIndex((l) => l.computesParamGrads),
    lastLogs: {},
    yielding,
    lastYield: now(),
  };
  for (const c of run.callbacks) c.setModel?.(m.callbackModel);
  for (const c of run.callbacks) await c.onTrainBegin?.();
  return run;
}

/** One epoch's running sums and progress. */
export interface EpochRun {
  readonly progress: EpochProgress | null;
  /** Each compiled metric's running state for this epoch. */
  readonly metrics: MetricState[];
  lossSum: number;
  seen: number;
  /** The loss and metrics so far, as logs. */
  logs(): EvaluateResult & Logs;
}

/** Starts an epoch: its header line, progress bar (when the step count is known) and running metrics. */
export function beginEpoch(m: LoopModel, run: FitRun, epoch: number, epochs: number, steps: number | null): EpochRun {
  if (run.verbose) run.out.line(`Epoch ${epoch + 1}/${epochs}`);
  const epochRun: EpochRun = {
    progress: run.verbose === 1 && steps !== null ? new EpochProgress(steps, run.out) : null,
    metrics: m.metrics.map((metric) => metric.create()),
    lossSum: 0,
    seen: 0,
    logs: () => epochLogs(m, epochRun.lossSum, epochRun.metrics, Math.max(epochRun.seen, 1)),
  };
  return epochRun;
}

/**
 * One training step on the `rows` samples loaded into `plan`: forward, loss, metrics, backward,
 * the optimizer's update, then onBatchEnd. Returns false when training stops at this batch: a
 * non-finite loss (which changes no weight) with a callback that stopped training; without one
 * it is an error.
 */
export async function trainStep(m: LoopModel, run: FitRun, e: EpochRun, ctx: StepContext, plan: BatchPlan, rows: number, epoch: number, step: number, weighted = false): Promise<boolean> {
  const { passes } = m;
  const output = passes.forward(ctx, plan.input, rows);
  // Weighted: loadBatch put the rows' loss weights (sampleWeight × classWeight) in plan.rowWeights.
  const stepLoss = lossForwardBackward(m.arena.backend, m.loss, m.fusion, output, plan.target, plan.gradA, weighted ? plan.rowWeights : -1, rows, passes.classes);
  if (!Number.isFinite(stepLoss)) {
    // A callback (terminateOnNaN) may end training here, the epoch's loss then showing it, as in
    // Keras; otherwise it is an error.
    for (const c of run.callbacks) await c.onBatchEnd?.(step, { loss: stepLoss });
    if (!m.stopTraining) {
      throw new Error(
        `fit: loss is ${stepLoss} at epoch ${epoch + 1}, step ${step + 1}; training stopped before this step changed any weight. ` +
          'Lower the learning rate, or check the inputs and targets.',
      );
    }
    e.lossSum = stepLoss;
    return false;
  }
  for (const metric of e.metrics) metric.update(m.arena.backend.f32(), output, plan.target, rows, passes.classes);
  if (run.lowest >= 0) {
    passes.backward(ctx, plan, rows, run.lowest);
    m.optimizer.step(m.arena.backend, run.runs);
  }
  e.lossSum += stepLoss * rows;
  e.seen += rows;
  const logs = e.logs();
  e.progress?.update(step + 1, logs);
  for (const c of run.callbacks) await c.onBatchEnd?.(step, logs);
  // Timed across epochs, so an epoch boundary does not restart the clock without a turn.
  if (now() - run.lastYield >= run.yielding.interval) {
    await run.yielding.turn();
    run.lastYield = now();
  }
  return true;
}

/** Validation results into an epoch's logs under Keras' 'val_' keys. */
export function addValidationLogs(logs: Logs, validation: EvaluateResult): void {
  for (const [k, value] of Object.entries(validation)) logs[`val_${k}`] = value;
}

/** Ends an epoch: the rate, progress, history, the model's epoch count, onEpochEnd. */
export async function endEpoch(m: LoopModel, run: FitRun, e: EpochRun, epoch: number, epochs: number, logs: Logs): Promise<void> {
  // The rate of the epoch's last step (Keras' 'lr' log).
  logs['lr'] = m.optimizer.learningRate;
  if (e.progress) e.progress.end(logs);
  else if (run.verbose) run.out.line(`epoch ${epoch + 1}/${epochs}${formatLogs(logs)}`);
  run.history.epoch.push(epoch);
  for (const [k, v] of Object.entries(logs)) (run.history.history[k] ??= []).push(v);
  m.onEpochDone(epoch);
  for (const c of run.callbacks) await c.onEpochEnd?.(epoch, logs);
  run.lastLogs = logs;
}

export async function endFit(run: FitRun): Promise<History> {
  for (const c of run.callbacks) await c.onTrainEnd?.(run.lastLogs);
  return run.history;
}

/** Mean loss (and accuracy when compiled with it) over x, y in batches; changes no weight. */
export function evaluateLoop(m: LoopModel, x: Tensor, y: Tensor, batchSize: number): EvaluateResult {
  const { arena, passes } = m;
  const plan = arena.planBatches(batchSize, passes.inputSize, passes.classes);
  const ctx = passes.context(plan, false);
  const sparse = m.loss.sparseLabels;
  const n = x.shape[0]!;
  let lossSum = 0;
  const metrics = m.metrics.map((metric) => metric.create());
  for (let start = 0; start < n; start += batchSize) {
    const rows = Math.min(batchSize, n - start);
    passes.loadBatch(x, y, null, start, rows, plan, sparse);
    const output = passes.forward(ctx, plan.input, rows);
    lossSum += lossForwardBackward(arena.backend, m.loss, m.fusion, output, plan.target, plan.gradA, -1, rows, passes.classes) * rows;
    for (const metric of metrics) metric.update(arena.backend.f32(), output, plan.target, rows, passes.classes);
  }
  return epochLogs(m, lossSum, metrics, n);
}

/** fit's `callbacks` option as a list. */
export function callbackList(callbacks: Callbacks | Callbacks[] | undefined): Callbacks[] {
  return callbacks === undefined ? [] : Array.isArray(callbacks) ? callbacks : [callbacks];
}

/** The loss and each metric, averaged over `seen` samples, keyed as Keras logs them. */
function epochLogs(m: LoopModel, lossSum: number, metrics: readonly MetricState[], seen: number): EvaluateResult & Logs {
  const logs: EvaluateResult & Logs = { loss: lossSum / seen };
  m.metrics.forEach((metric, k) => (logs[metric.key] = metrics[k]!.result()));
  return logs;
}
