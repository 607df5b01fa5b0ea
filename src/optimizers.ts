import type { Backend } from './kernels/backend.js';
import type { Ptr } from './kernels/kernels.js';

/**
 * Updates all parameters in one kernel call: the model keeps parameters, gradients
 * and optimizer slots in three parallel, contiguous regions of the arena.
 */
export interface Optimizer {
  readonly className: string;
  learningRate: number;
  /** Per-parameter state arrays it needs (Adam: m and v). */
  readonly slots: number;
  /** Steps taken so far. */
  iterations: number;
  step(b: Backend, params: Ptr, grads: Ptr, slots: readonly Ptr[], n: number): void;
  /**
   * The optimizer as TF.js serializes it in a model's trainingConfig, or null when TF.js has
   * no equivalent (AdamW, weight decay): such a model is saved without an optimizer entry.
   */
  toTfjs(): { class_name: string; config: Record<string, unknown> } | null;
}

function positive(v: number, what: string, opt: string): number {
  if (!(typeof v === 'number' && Number.isFinite(v) && v >= 0)) throw new Error(`${opt}: ${what} must be a finite number ≥ 0, got ${v}`);
  return v;
}

export interface SgdArgs {
  learningRate?: number;
  momentum?: number;
  nesterov?: boolean;
  weightDecay?: number;
}

export function sgd(args: SgdArgs = {}): Optimizer {
  const momentum = positive(args.momentum ?? 0, 'momentum', 'SGD');
  const nesterov = args.nesterov ?? false;
  const weightDecay = positive(args.weightDecay ?? 0, 'weightDecay', 'SGD');
  return {
    className: 'SGD',
    learningRate: positive(args.learningRate ?? 0.01, 'learningRate', 'SGD'),
    slots: momentum > 0 ? 1 : 0,
    iterations: 0,
    step(b, params, grads, slots, n) {
      b.sgdUpdate(params, grads, slots[0] ?? params, n, this.learningRate, momentum, nesterov, weightDecay);
      this.iterations++;
    },
    toTfjs() {
      if (weightDecay) return null;
      return momentum > 0
        ? { class_name: 'Momentum', config: { learningRate: this.learningRate, momentum, useNesterov: nesterov } }
        : { class_name: 'SGD', config: { learningRate: this.learningRate } };
    },
  };
}

export interface AdamArgs {
  learningRate?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

function adamFamily(className: string, args: AdamArgs, weightDecay: number): Optimizer {
  const beta1 = positive(args.beta1 ?? 0.9, 'beta1', className);
  const beta2 = positive(args.beta2 ?? 0.999, 'beta2', className);
  const epsilon = positive(args.epsilon ?? 1e-7, 'epsilon', className);
  if (beta1 >= 1 || beta2 >= 1) throw new Error(`${className}: beta1 and beta2 must be < 1`);
  return {
    className,
    learningRate: positive(args.learningRate ?? 0.001, 'learningRate', className),
    slots: 2,
    iterations: 0,
    step(b, params, grads, slots, n) {
      const t = ++this.iterations;
      // Bias correction folded into the step size, as Keras does.
      const alpha = (this.learningRate * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t);
      b.adamUpdate(params, grads, slots[0]!, slots[1]!, n, this.learningRate, alpha, beta1, beta2, epsilon, weightDecay);
    },
    toTfjs() {
      return weightDecay ? null : { class_name: 'Adam', config: { learningRate: this.learningRate, beta1, beta2, epsilon } };
    },
  };
}

export function adam(args: AdamArgs = {}): Optimizer {
  return adamFamily('Adam', args, 0);
}

/** Adam with decoupled weight decay (Keras default weightDecay 0.004). */
export function adamw(args: AdamArgs & { weightDecay?: number } = {}): Optimizer {
  return adamFamily('AdamW', args, positive(args.weightDecay ?? 0.004, 'weightDecay', 'AdamW'));
}

export const optimizers = { sgd, adam, adamw };

export function optimizerFromName(name: string): Optimizer {
  const make = (optimizers as Record<string, () => Optimizer>)[name.toLowerCase()];
  if (!make) throw new Error(`compile: unknown optimizer '${name}'; use one of ${Object.keys(optimizers).join(', ')} or an optimizer object`);
  return make();
}

/** Rebuilds an optimizer from a TF.js trainingConfig.optimizer_config; null if it is not one wasmnn has. */
export function optimizerFromTfjs(entry: unknown): Optimizer | null {
  if (typeof entry !== 'object' || entry === null) return null;
  const { class_name: cls, config = {} } = entry as { class_name?: unknown; config?: Record<string, unknown> };
  const n = (k: string): number | undefined => (typeof config[k] === 'number' ? (config[k] as number) : undefined);
  const defined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
  switch (cls) {
    case 'Adam':
      return adam(defined({ learningRate: n('learningRate'), beta1: n('beta1'), beta2: n('beta2'), epsilon: n('epsilon') }));
    case 'SGD':
      return sgd(defined({ learningRate: n('learningRate') }));
    case 'Momentum':
      return sgd(defined({ learningRate: n('learningRate'), momentum: n('momentum'), nesterov: config['useNesterov'] === true }));
    default:
      return null;
  }
}
