// Training throughput (samples/s after warm-up) of wasmnn (WASM 1 and 2 threads, JS reference)
// and TF.js 4.22 in Node (CPU backend; WASM backend as shipped and with a borrowed kernel), on
// identical architectures, optimizer (Adam 1e-3), batch size and MNIST images.
import { buildArchitecture, compileWithRecipe, recipe } from '../src/architectures.js';
import { createBackend } from '../src/kernels/index.js';
import type { Sequential } from '../src/model/sequential.js';
import { errorMessage, mnist, now, rows, type BenchOptions } from './common.js';
import { mnistSteps } from './alternating.js';
import { buildTfModel, tf, useTfBackend, type TfBackendName } from './tfjs-models.js';
import { TorchModel, torchAvailable } from './torch-anchor.js';

export interface TrainRow {
  model: string;
  /** e.g. 'wasmnn wasm', 'wasmnn js', 'tfjs cpu', 'tfjs wasm (as shipped)'. */
  impl: string;
  threads: number | null;
  batchSize: number;
  samplesPerSec: number | null;
  /** Measured steps and their wall-clock seconds (warm-up excluded unless `cold`). */
  steps: number;
  seconds: number;
  /** True when the only step measured was the first one (slow backend under --quick). */
  cold?: boolean;
  error?: string;
}

/** Runs `n` training steps of one batch each, starting at a running offset into the training set. */
interface Trainer {
  steps(n: number): Promise<void>;
  dispose(): void;
}

/** Warm-up: single steps until warmupSeconds have passed (tier-up, buffers, memory plans). Returns the first and last step's seconds. */
async function warmUp(trainer: Trainer, o: BenchOptions, fixedSteps?: number): Promise<{ first: number; last: number }> {
  let t0 = now();
  await trainer.steps(1);
  let last = now() - t0;
  const first = last;
  if (first > o.slowStepSeconds && o.quick) return { first, last };
  let warm = last;
  while (fixedSteps === undefined && first <= o.slowStepSeconds && warm < o.warmupSeconds) {
    t0 = now();
    await trainer.steps(1);
    last = now() - t0;
    warm += last;
  }
  return { first, last };
}

/** Warm-up, then timed steps for about trainSeconds (fixedSteps: exactly that many, no warm-up loop). */
async function measure(trainer: Trainer, o: BenchOptions, fixedSteps?: number): Promise<{ steps: number; seconds: number; cold: boolean }> {
  const { first, last } = await warmUp(trainer, o, fixedSteps);
  if (first > o.slowStepSeconds && o.quick) return { steps: 1, seconds: first, cold: true };
  const steps = fixedSteps ?? (first > o.slowStepSeconds ? o.slowSteps : Math.max(3, Math.ceil(o.trainSeconds / Math.max(last, 1e-4))));
  const t0 = now();
  await trainer.steps(steps);
  return { steps, seconds: now() - t0, cold: false };
}

/** Rounds of steps for each trainer in turn, so each sees the same machine (a shared host's speed drifts by 2× within minutes). */
const ALTERNATING_ROUNDS = 4;

async function measureAlternating(trainers: Trainer[], o: BenchOptions): Promise<{ steps: number; seconds: number; cold: boolean }[]> {
  const lasts: number[] = [];
  for (const t of trainers) lasts.push((await warmUp(t, o)).last);
  const totals = trainers.map(() => ({ steps: 0, seconds: 0, cold: false }));
  for (let round = 0; round < ALTERNATING_ROUNDS; round++) {
    for (const [i, trainer] of trainers.entries()) {
      const steps = Math.max(2, Math.ceil(o.trainSeconds / ALTERNATING_ROUNDS / Math.max(lasts[i]!, 1e-4)));
      const t0 = now();
      await trainer.steps(steps);
      totals[i]!.seconds += now() - t0;
      totals[i]!.steps += steps;
    }
  }
  return totals;
}

async function wasmnnTrainer(arch: string, kind: 'wasm' | 'js', threads: number, batchSize: number): Promise<{ trainer: Trainer; threads: number }> {
  const { train } = await mnist();
  const backend = await createBackend(kind, { threads });
  const model: Sequential = buildArchitecture(arch, { seed: 1, backend });
  compileWithRecipe(model, recipe(arch, { batchSize }), train.x.shape[0]!);
  return { trainer: await mnistSteps(model, batchSize), threads: backend.threads };
}

async function tfTrainer(arch: string, backend: TfBackendName, batchSize: number): Promise<Trainer> {
  const { train } = await mnist();
  await useTfBackend(backend);
  const model = await buildTfModel(arch, recipe(arch).learningRate);
  let offset = 0;
  return {
    async steps(n) {
      for (let i = 0; i < n; i++) {
        const xr = rows(train.x, offset, batchSize);
        const yr = rows(train.y, offset, batchSize);
        offset += batchSize;
        const x = tf.tensor(xr.data, xr.shape, 'float32');
        const y = tf.tensor(yr.data, yr.shape, 'float32');
        try {
          await model.trainOnBatch(x, y); // reads the loss back, so the step has finished
        } finally {
          x.dispose();
          y.dispose();
        }
      }
    },
    dispose: () => model.dispose(),
  };
}

async function torchTrainer(arch: string, threads: number, batchSize: number): Promise<{ trainer: Trainer; threads: number }> {
  const { model, threads: actual } = await TorchModel.start(arch, threads, batchSize, recipe(arch).learningRate);
  return { trainer: { steps: async (steps) => void (await model.send({ cmd: 'train', steps })), dispose: () => model.dispose() }, threads: actual };
}

function row(model: string, impl: string, threads: number | null, batchSize: number, m: { steps: number; seconds: number; cold: boolean }): TrainRow {
  const r: TrainRow = { model, impl, threads, batchSize, samplesPerSec: (m.steps * batchSize) / m.seconds, steps: m.steps, seconds: m.seconds };
  if (m.cold) r.cold = true;
  return r;
}

/** Batch size per architecture: the seed model at 32, the others at their recipe's. */
export function trainBatchSize(arch: string): number {
  return arch === 'seed' ? 32 : recipe(arch).batchSize;
}

export async function benchTraining(o: BenchOptions, log: (line: string) => void): Promise<TrainRow[]> {
  const out: TrainRow[] = [];
  const push = (r: TrainRow): void => {
    out.push(r);
    const rate = r.samplesPerSec === null ? `error: ${r.error}` : `${r.samplesPerSec.toFixed(1)} samples/s (${r.steps} steps, ${r.seconds.toFixed(1)} s${r.cold ? ', cold' : ''})`;
    log(`  train ${r.model} bs ${r.batchSize} ${r.impl}${r.threads ? ` ${r.threads}t` : ''}: ${rate}`);
  };
  for (const arch of o.models) {
    const bs = trainBatchSize(arch);
    {
      // 1 and 2 threads alternate, round by round: their ratio is what the second core buys.
      // PyTorch (CPU), when python3 has it, takes its turns in the same rounds.
      const runs = [{ impl: 'wasmnn wasm', ...(await wasmnnTrainer(arch, 'wasm', 1, bs)) }, { impl: 'wasmnn wasm', ...(await wasmnnTrainer(arch, 'wasm', 2, bs)) }];
      if (!o.wasmnnOnly && torchAvailable()) {
        for (const threads of [1, 2]) runs.push({ impl: 'pytorch cpu', ...(await torchTrainer(arch, threads, bs)) });
      }
      try {
        const results = await measureAlternating(runs.map((r) => r.trainer), o);
        for (const [i, r] of runs.entries()) push(row(arch, r.impl, r.threads, bs, results[i]!));
      } finally {
        for (const r of runs) r.trainer.dispose();
      }
    }
    if (o.wasmnnOnly || o.skipTfjs) continue;
    {
      const { trainer } = await wasmnnTrainer(arch, 'js', 1, bs);
      try {
        push(row(arch, 'wasmnn js (reference)', 1, bs, await measure(trainer, o, o.jsRefSteps)));
      } finally {
        trainer.dispose();
      }
    }
    for (const backend of ['wasm', 'wasm+cpu-conv-filter', 'cpu'] as const) {
      const impl = backend === 'cpu' ? 'tfjs cpu' : backend === 'wasm' ? 'tfjs wasm (as shipped)' : 'tfjs wasm + cpu Conv2DBackpropFilter';
      const trainer = await tfTrainer(arch, backend, bs);
      try {
        push(row(arch, impl, 1, bs, await measure(trainer, o)));
      } catch (err) {
        push({ model: arch, impl, threads: 1, batchSize: bs, samplesPerSec: null, steps: 0, seconds: 0, error: errorMessage(err) });
      } finally {
        trainer.dispose();
      }
    }
  }
  return out;
}
