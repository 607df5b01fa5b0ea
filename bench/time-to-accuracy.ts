// Time to accuracy: wall-clock training seconds of the default recipe (compact) until the 10k test
// set reaches ≥ 98% and ≥ 99%. Trains with the recipe (compileWithRecipe: Adam, its learning-rate
// schedule, batch size) and evaluates at every half epoch and epoch end; time spent
// evaluating is excluded. Stops at 99% or after the recipe's epochs.
import { buildArchitecture, compileWithRecipe, DEFAULT_ARCHITECTURE, recipe } from '../src/architectures.js';
import { createBackend } from '../src/kernels/index.js';
import type { Callbacks } from '../src/model/sequential.js';
import { mnist, now } from './common.js';

export interface AccuracyPoint {
  epoch: number;
  /** Fraction of an epoch trained, e.g. 1.5. */
  epochs: number;
  trainSeconds: number;
  testAccuracy: number;
}

export interface TimeToAccuracy {
  architecture: string;
  batchSize: number;
  threads: number;
  /** Training seconds (evaluation excluded) until ≥ 98% / ≥ 99% test accuracy; null if not reached. */
  secondsTo98: number | null;
  secondsTo99: number | null;
  epochsTo98: number | null;
  epochsTo99: number | null;
  points: AccuracyPoint[];
  totalTrainSeconds: number;
  finalAccuracy: number;
}

export async function benchTimeToAccuracy(threads: number, log: (line: string) => void): Promise<TimeToAccuracy> {
  const { train, test } = await mnist();
  const arch = DEFAULT_ARCHITECTURE;
  const r = recipe(arch);
  const backend = await createBackend('wasm', { threads });
  const model = buildArchitecture(arch, { seed: 1, backend });
  compileWithRecipe(model, r, train.x.shape[0]!);
  const steps = Math.ceil(train.x.shape[0]! / r.batchSize);
  const points: AccuracyPoint[] = [];
  let evalSeconds = 0;
  let start = 0;
  let epoch = 0;
  const result: TimeToAccuracy = {
    architecture: arch, batchSize: r.batchSize, threads: backend.threads, secondsTo98: null, secondsTo99: null,
    epochsTo98: null, epochsTo99: null, points, totalTrainSeconds: 0, finalAccuracy: 0,
  };
  // Evaluating inside onBatchEnd is safe with the training batch size: Sequential keeps its batch
  // plan (the largest batch seen) and every step recomputes the forward pass from its input.
  const checkpoint = async (fraction: number): Promise<void> => {
    const t = now();
    const trainSeconds = t - start - evalSeconds;
    const { accuracy = 0 } = await model.evaluate(test.x, test.y, { batchSize: r.batchSize });
    const p = { epoch, epochs: epoch + fraction, trainSeconds, testAccuracy: accuracy };
    points.push(p);
    log(`  time-to-accuracy: epoch ${p.epochs.toFixed(1)}: ${(accuracy * 100).toFixed(2)}% after ${trainSeconds.toFixed(1)} s of training`);
    if (accuracy >= 0.98 && result.secondsTo98 === null) [result.secondsTo98, result.epochsTo98] = [trainSeconds, p.epochs];
    if (accuracy >= 0.99 && result.secondsTo99 === null) {
      [result.secondsTo99, result.epochsTo99] = [trainSeconds, p.epochs];
      model.stopTraining = true;
    }
    evalSeconds += now() - t;
  };
  const evaluator: Callbacks = {
    onEpochBegin: (e) => void (epoch = e),
    onBatchEnd: async (step) => {
      if (step === Math.floor(steps / 2) - 1) await checkpoint(0.5);
    },
    onEpochEnd: async () => {
      if (!model.stopTraining) await checkpoint(1); // not after a mid-epoch stop: nothing more was trained
    },
  };
  try {
    start = now();
    await model.fit(train.x, train.y, { batchSize: r.batchSize, epochs: r.epochs, verbose: 0, callbacks: [evaluator] });
    result.totalTrainSeconds = now() - start - evalSeconds;
    result.finalAccuracy = points[points.length - 1]?.testAccuracy ?? 0;
  } finally {
    model.dispose();
  }
  return result;
}
