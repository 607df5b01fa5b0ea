// Training throughput of a few models side by side in one process, alternating round by round
// so all see the same machine (a shared host's speed drifts by 2-3x within minutes): what
// bench/batchnorm.ts and bench/augment.ts are made of.
import type { Sequential } from '../src/model/sequential.js';
import { Tensor } from '../src/tensor.js';
import { mnist, now, rows } from './common.js';

/** Runs `n` training steps of one batch each. */
export interface StepTrainer {
  steps(n: number): Promise<void>;
  dispose(): void;
}

/** Trains a compiled model on MNIST's training images, batch after batch from a running offset (wrapping around). */
export async function mnistSteps(model: Sequential, batchSize: number): Promise<StepTrainer> {
  const { train } = await mnist();
  let offset = 0;
  return {
    async steps(n) {
      const x = rows(train.x, offset, n * batchSize);
      const y = rows(train.y, offset, n * batchSize);
      offset += n * batchSize;
      await model.fit(new Tensor(x.data, x.shape), new Tensor(y.data, y.shape), { batchSize, epochs: 1, shuffle: false, verbose: 0 });
    },
    dispose: () => model.dispose(),
  };
}

/** A positive number from `--flag value` on the command line, or the fallback. */
export function positiveFlag(script: string, flag: string, fallback: number): number {
  const i = process.argv.indexOf(flag);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!(v > 0)) throw new Error(`${script}: ${flag} must be a positive number, got ${process.argv[i + 1]}`);
  return v;
}

/**
 * Warms every trainer up (tier-up, memory plans) and times a step to size its rounds, then runs
 * `rounds` rounds of about `roundSeconds` each per trainer in turn. Returns samples/s per trainer
 * per round.
 */
export async function alternateRounds(trainers: readonly StepTrainer[], batchSize: number, rounds: number, roundSeconds: number): Promise<number[][]> {
  const stepSeconds: number[] = [];
  for (const t of trainers) {
    await t.steps(2);
    const t0 = now();
    await t.steps(2);
    stepSeconds.push((now() - t0) / 2);
  }
  const rates: number[][] = trainers.map(() => []);
  for (let round = 0; round < rounds; round++) {
    for (const [i, t] of trainers.entries()) {
      const steps = Math.max(2, Math.round(roundSeconds / stepSeconds[i]!));
      const t0 = now();
      await t.steps(steps);
      rates[i]!.push((steps * batchSize) / (now() - t0));
    }
  }
  return rates;
}

/**
 * The fastest single step of each trainer over `reps` steps taken in turn: on a loaded host the
 * minimum is the step least disturbed by other processes, steadier than a round's average.
 */
export async function fastestSteps(trainers: readonly StepTrainer[], reps: number): Promise<number[]> {
  const best = trainers.map(() => Infinity);
  for (let r = 0; r < reps; r++) {
    for (const [i, t] of trainers.entries()) {
      const t0 = now();
      await t.steps(1);
      best[i] = Math.min(best[i]!, now() - t0);
    }
  }
  return best;
}
