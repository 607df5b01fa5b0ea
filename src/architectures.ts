/**
 * Named MNIST architectures and their training recipes, shared by the CLI,
 * the examples and the benchmarks. Recipe numbers are plain fields so they
 * can be tuned after measuring.
 */
import type { Backend, BackendName } from './kernels/backend.js';
import { layers, type Layer } from './layers/index.js';
import type { LossName } from './losses.js';
import type { Callbacks } from './model/sequential.js';
import { Sequential } from './model/sequential.js';
import { adam, type Optimizer } from './optimizers.js';

export interface Recipe {
  /** Passes over the training set. */
  epochs: number;
  batchSize: number;
  /** Adam learning rate of the first epoch. */
  learningRate: number;
  /** Per-epoch multiplicative learning-rate decay: epoch e trains at learningRate · lrDecay^e (1 = constant). */
  lrDecay: number;
  loss: LossName;
}

export interface Architecture {
  name: string;
  description: string;
  layers: () => Layer[];
  recipe: Recipe;
}

const INPUT: [number, number, number] = [28, 28, 1];

const ARCHITECTURES: Record<string, Architecture> = {
  lenet: {
    name: 'lenet',
    description: 'LeNet-style CNN: conv 5x5 ×16 → pool → conv 5x5 ×32 → pool → dense 128 → dropout → dense 10',
    layers: () => [
      layers.conv2d({ filters: 16, kernelSize: 5, activation: 'relu', inputShape: INPUT }),
      layers.maxPooling2d({ poolSize: 2 }),
      layers.conv2d({ filters: 32, kernelSize: 5, activation: 'relu' }),
      layers.maxPooling2d({ poolSize: 2 }),
      layers.flatten(),
      layers.dense({ units: 128, activation: 'relu' }),
      layers.dropout({ rate: 0.25 }),
      layers.dense({ units: 10, activation: 'softmax' }),
    ],
    recipe: { epochs: 6, batchSize: 64, learningRate: 1e-3, lrDecay: 0.7, loss: 'categoricalCrossentropy' },
  },
  seed: {
    name: 'seed',
    description: 'The Keras seed model: conv 3x3 ×64 → conv 3x3 ×32 → dense 10 (203,434 params)',
    layers: () => [
      layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu', inputShape: INPUT }),
      layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu' }),
      layers.flatten(),
      layers.dense({ units: 10, activation: 'softmax' }),
    ],
    recipe: { epochs: 1, batchSize: 32, learningRate: 1e-3, lrDecay: 1, loss: 'categoricalCrossentropy' },
  },
};

export const DEFAULT_ARCHITECTURE = 'lenet';

/** Names accepted by buildArchitecture / recipe, default first. */
export function architectureNames(): string[] {
  return [DEFAULT_ARCHITECTURE, ...Object.keys(ARCHITECTURES).filter((n) => n !== DEFAULT_ARCHITECTURE)];
}

export function architecture(name: string): Architecture {
  const arch = Object.hasOwn(ARCHITECTURES, name) ? ARCHITECTURES[name] : undefined;
  if (!arch) throw new Error(`unknown architecture '${name}'; choose one of: ${architectureNames().join(', ')}`);
  return arch;
}

export interface BuildOptions {
  seed?: number;
  backend?: BackendName | Backend;
}

/** A fresh, uncompiled model of the named architecture. */
export function buildArchitecture(name: string, options: BuildOptions = {}): Sequential {
  const arch = architecture(name);
  const opts: { seed?: number; backend?: BackendName | Backend } = {};
  if (options.seed !== undefined) opts.seed = options.seed;
  if (options.backend !== undefined) opts.backend = options.backend;
  return new Sequential(arch.layers(), opts);
}

/** The named architecture's training recipe, with any overrides applied and checked. */
export function recipe(name: string, overrides: Partial<Recipe> = {}): Recipe {
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) as Partial<Recipe>;
  const r: Recipe = { ...architecture(name).recipe, ...defined };
  if (!Number.isInteger(r.epochs) || r.epochs < 1) throw new Error(`epochs must be a positive integer, got ${r.epochs}`);
  if (!Number.isInteger(r.batchSize) || r.batchSize < 1) throw new Error(`batch size must be a positive integer, got ${r.batchSize}`);
  if (!(Number.isFinite(r.learningRate) && r.learningRate > 0)) throw new Error(`learning rate must be a positive number, got ${r.learningRate}`);
  if (!(Number.isFinite(r.lrDecay) && r.lrDecay > 0 && r.lrDecay <= 1)) throw new Error(`lr decay must be in (0, 1], got ${r.lrDecay}`);
  return r;
}

/** The learning rate the recipe uses in epoch `epoch` (0-based). */
export function learningRateAt(r: Recipe, epoch: number): number {
  return r.learningRate * r.lrDecay ** epoch;
}

/**
 * Compiles `model` for the recipe (Adam, the recipe's loss, accuracy) and returns the
 * callbacks that apply its per-epoch learning-rate decay; pass them to fit().
 */
export function compileWithRecipe(model: Sequential, r: Recipe): { optimizer: Optimizer; callbacks: Callbacks } {
  const optimizer = adam({ learningRate: r.learningRate });
  model.compile({ optimizer, loss: r.loss, metrics: ['accuracy'] });
  const callbacks: Callbacks = {
    onEpochBegin: (epoch) => {
      optimizer.learningRate = learningRateAt(r, epoch);
    },
  };
  return { optimizer, callbacks };
}
