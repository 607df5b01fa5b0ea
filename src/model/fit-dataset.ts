// fitDataset: fit over batches from an (async) iterable instead of tensors in memory. The
// epoch machinery (callbacks, steps, logs) is training-loop.ts'; this file only pulls the batches.
import type { Batch, SeededIterable } from '../data/dataset.js';
import type { Random } from '../random.js';
import type { Tensor } from '../tensor.js';
import { checkData } from './input-checks.js';
import { addValidationLogs, beginEpoch, beginFit, endEpoch, endFit, evaluateLoop, trainStep, type Callbacks, type EvaluateResult, type History, type LoopModel } from './training-loop.js';
import type { Logs, ProgressOutput } from './progress.js';
import type { YieldEvery } from './yield-policy.js';

/** Batches fitDataset takes: a Dataset, any (async) iterable of { xs, ys }. */
export type BatchIterable = AsyncIterable<Batch> | Iterable<Batch> | SeededIterable<Batch>;

export interface FitDatasetArgs {
  /** The epoch to end after, counted from 0 over the model's whole training. */
  epochs?: number;
  initialEpoch?: number;
  /**
   * Batches per epoch. Without it an epoch is one full pass, and the iterable is iterated
   * again for every epoch (a Dataset or an array can be; a generator object cannot). With it,
   * one iterator is read across epochs, as TF.js does.
   */
  batchesPerEpoch?: number;
  /** Validation batches (iterated once per epoch) or tensors. */
  validationData?: BatchIterable | [Tensor, Tensor];
  callbacks?: Callbacks | Callbacks[];
  verbose?: 0 | 1 | 2;
  output?: ProgressOutput;
  /** As fit's yieldEvery. */
  yieldEvery?: YieldEvery;
}

export async function fitDatasetLoop(m: LoopModel, dataset: BatchIterable, initialEpoch: number, epochs: number, args: FitDatasetArgs): Promise<History> {
  const { arena, passes } = m;
  const perEpoch = args.batchesPerEpoch;
  const sparse = m.loss.sparseLabels;
  const run = await beginFit(m, args, 'fitDataset');
  const shared = perEpoch === undefined ? null : openBatches(dataset, m.rng);
  let plan = arena.currentBatchPlan;
  let ctx = plan && passes.context(plan, true);
  for (let epoch = initialEpoch; epoch < epochs && !m.stopTraining; epoch++) {
    for (const c of run.callbacks) await c.onEpochBegin?.(epoch);
    const batches = shared ?? openBatches(dataset, m.rng);
    const e = beginEpoch(m, run, epoch, epochs, perEpoch ?? null);
    for (let step = 0; (perEpoch === undefined || step < perEpoch) && !m.stopTraining; step++) {
      const next = await batches.next();
      if (next.done) {
        if (perEpoch !== undefined) throw new Error(`fitDataset: the dataset ran out after ${step} of batchesPerEpoch ${perEpoch} batches in epoch ${epoch + 1}`);
        break;
      }
      const { xs, ys } = checkBatch(next.value, m, `fitDataset: batch ${step + 1} of epoch ${epoch + 1}`);
      const rows = xs.shape[0]!;
      // Kept when big enough: a larger batch (or one a callback planned) re-plans the activations.
      const current = arena.planBatches(rows, passes.inputSize, passes.classes);
      if (current !== plan || !ctx) {
        plan = current;
        ctx = passes.context(plan, true);
      }
      passes.loadBatch(xs, ys, null, 0, rows, current, sparse);
      if (!(await trainStep(m, run, e, ctx, current, rows, epoch, step))) break;
    }
    if (e.seen === 0 && !m.stopTraining) {
      throw new Error(`fitDataset: the dataset gave no batches in epoch ${epoch + 1}; a one-shot iterator (a generator object) needs batchesPerEpoch, or wrap it: Dataset.fromGenerator(() => generate())`);
    }
    const logs = e.logs();
    if (args.validationData) addValidationLogs(logs, await evaluateBatches(m, args.validationData));
    await endEpoch(m, run, e, epoch, epochs, logs);
  }
  return endFit(run);
}

/** Mean loss and metrics over every batch of `data` (changes no weight). */
export async function evaluateDatasetLoop(m: LoopModel, data: BatchIterable): Promise<EvaluateResult> {
  const sums: Logs = {};
  let n = 0;
  const batches = openBatches(data, m.rng);
  for (let i = 1; ; i++) {
    const next = await batches.next();
    if (next.done) break;
    const { xs, ys } = checkBatch(next.value, m, `evaluateDataset: batch ${i}`);
    const rows = xs.shape[0]!;
    // Every result is a mean over samples, so batch means weighted by rows give the exact mean.
    for (const [k, v] of Object.entries(evaluateLoop(m, xs, ys, rows))) sums[k] = (sums[k] ?? 0) + v * rows;
    n += rows;
  }
  if (n === 0) throw new Error('evaluateDataset: the dataset gave no batches');
  const result: EvaluateResult & Logs = { loss: sums['loss']! / n };
  for (const [k, v] of Object.entries(sums)) result[k] = v / n;
  return result;
}

function evaluateBatches(m: LoopModel, data: BatchIterable | [Tensor, Tensor]): EvaluateResult | Promise<EvaluateResult> {
  if (Array.isArray(data)) {
    const [x, y] = data as [Tensor, Tensor];
    checkData(x, y, m.inputShape, m.outputShape, m.loss, 'fitDataset validationData');
    return evaluateLoop(m, x, y, 32);
  }
  return evaluateDatasetLoop(m, data as BatchIterable);
}

function openBatches(data: BatchIterable, random: Random): AsyncIterator<Batch> | Iterator<Batch> {
  if (data !== null && typeof data === 'object') {
    if ('iterate' in data && typeof data.iterate === 'function') return data.iterate(random);
    if (Symbol.asyncIterator in data) return data[Symbol.asyncIterator]();
    if (Symbol.iterator in data) return data[Symbol.iterator]();
  }
  throw new Error('fitDataset: the dataset must be a Dataset or an (async) iterable of { xs, ys } batches');
}

function checkBatch(batch: unknown, m: LoopModel, what: string): Batch {
  if (typeof batch !== 'object' || batch === null || !('xs' in batch) || !('ys' in batch)) throw new Error(`${what} is not an object { xs, ys } of Tensors`);
  const { xs, ys } = batch as Batch;
  checkData(xs, ys, m.inputShape, m.outputShape, m.loss, what);
  return { xs, ys };
}
