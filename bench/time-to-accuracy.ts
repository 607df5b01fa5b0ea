// Time to accuracy: wall-clock training seconds of a named recipe (src/architectures.ts) until the
// 10k test set reaches each target in TARGETS. Trains with the recipe (compileWithRecipe: Adam, its
// learning-rate schedule, batch size, epochs) on all 60k training images and evaluates at every
// half epoch and epoch end; time spent evaluating is excluded. The test set only measures here:
// the run always goes to the recipe's last epoch (no stopping on test accuracy).
import { buildArchitecture, compileWithRecipe, recipe } from '../src/architectures.js';
import { createBackend } from '../src/kernels/index.js';
import type { Callbacks } from '../src/model/sequential.js';
import { mnist, now } from './common.js';

export const TARGETS = [0.98, 0.99, 0.995, 0.996] as const;

export interface AccuracyPoint {
  epoch: number;
  /** Fraction of an epoch trained, e.g. 1.5. */
  epochs: number;
  trainSeconds: number;
  testAccuracy: number;
}

export interface TargetReached {
  target: number;
  /** Training seconds (evaluation excluded) until ≥ target test accuracy; null if never reached. */
  seconds: number | null;
  epochs: number | null;
}

export interface TimeToAccuracy {
  architecture: string;
  seed: number;
  batchSize: number;
  threads: number;
  targets: TargetReached[];
  points: AccuracyPoint[];
  totalTrainSeconds: number;
  finalAccuracy: number;
}

export async function benchTimeToAccuracy(arch: string, threads: number, seed: number, log: (line: string) => void): Promise<TimeToAccuracy> {
  const { train, test } = await mnist();
  const r = recipe(arch);
  const backend = await createBackend('wasm', { threads });
  const model = buildArchitecture(arch, { seed, backend });
  compileWithRecipe(model, r, train.x.shape[0]!);
  const steps = Math.ceil(train.x.shape[0]! / r.batchSize);
  const points: AccuracyPoint[] = [];
  const targets: TargetReached[] = TARGETS.map((target) => ({ target, seconds: null, epochs: null }));
  let evalSeconds = 0;
  let start = 0;
  let epoch = 0;
  // Evaluating inside onBatchEnd is safe with the training batch size: Sequential keeps its batch
  // plan (the largest batch seen) and every step recomputes the forward pass from its input.
  const checkpoint = async (fraction: number): Promise<void> => {
    const t = now();
    const trainSeconds = t - start - evalSeconds;
    const { accuracy = 0 } = await model.evaluate(test.x, test.y, { batchSize: r.batchSize });
    const p = { epoch, epochs: epoch + fraction, trainSeconds, testAccuracy: accuracy };
    points.push(p);
    log(`  time-to-accuracy ${arch}: epoch ${p.epochs.toFixed(1)}: ${(accuracy * 100).toFixed(2)}% after ${trainSeconds.toFixed(1)} s of training`);
    for (const goal of targets) if (accuracy >= goal.target && goal.seconds === null) [goal.seconds, goal.epochs] = [trainSeconds, p.epochs];
    evalSeconds += now() - t;
  };
  const evaluator: Callbacks = {
    onEpochBegin: (e) => void (epoch = e),
    onBatchEnd: async (step) => {
      if (step === Math.floor(steps / 2) - 1) await checkpoint(0.5);
    },
    onEpochEnd: () => checkpoint(1),
  };
  try {
    start = now();
    await model.fit(train.x, train.y, { batchSize: r.batchSize, epochs: r.epochs, verbose: 0, callbacks: [evaluator] });
    const totalTrainSeconds = now() - start - evalSeconds;
    return { architecture: arch, seed, batchSize: r.batchSize, threads: backend.threads, targets, points, totalTrainSeconds, finalAccuracy: points.at(-1)?.testAccuracy ?? 0 };
  } finally {
    model.dispose();
  }
}
