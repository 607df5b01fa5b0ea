import type { Backend } from '../kernels/backend.js';
import type { Ptr } from '../kernels/kernels.js';

/**
 * A contiguous run of trainable parameters with their gradients and optimizer slots. The model
 * keeps parameters, gradients and each slot in parallel regions, so a run is one kernel call;
 * with no layer frozen the whole model is one run.
 */
export interface ParamRun {
  params: Ptr;
  grads: Ptr;
  /** One pointer per slot the optimizer declared, parallel to params. */
  slots: readonly Ptr[];
  size: number;
  /** The sizes of the parameter arrays (kernel, bias, …) the run holds, in order: clipNorm clips each. */
  tensorSizes: readonly number[];
}

/**
 * A learning rate as a function of the optimizer's step count (0 for the first step), as Keras'
 * LearningRateSchedule: `learningRate: schedule` on any optimizer. Called once per step.
 */
export type LearningRateSchedule = (step: number) => number;

/** What every optimizer takes besides its own options (Keras' base optimizer arguments). */
export interface OptimizerArgs {
  /** A number, or a schedule of the step count (optimizers/schedules.ts). */
  learningRate?: number | LearningRateSchedule;
  /** Clip each parameter array's gradient to this L2 norm (Keras clipnorm). */
  clipNorm?: number;
  /** Clip all gradients together to this global L2 norm (Keras global_clipnorm). */
  globalClipnorm?: number;
  /** Clip every gradient value to [−clipValue, clipValue] (Keras clipvalue). */
  clipValue?: number;
  /** Decoupled weight decay (Keras weight_decay): p −= lr·weightDecay·p before each update. */
  weightDecay?: number;
}

/** The TF.js serialized form of an optimizer (trainingConfig.optimizer_config). */
export interface TfjsOptimizerConfig {
  class_name: string;
  config: Record<string, unknown>;
}

/** Updates parameters in place from their gradients, one step at a time. */
export interface Optimizer {
  readonly className: string;
  /** The rate of the last step (or the next one, before any); set it to change a constant rate. */
  learningRate: number;
  /** When set, each step first sets learningRate = schedule(iterations). */
  schedule?: LearningRateSchedule | null;
  /**
   * The per-parameter state arrays it needs, by name (none for plain SGD, ['momentum'] with
   * momentum, ['m', 'v'] for Adam): the model sizes the arena's slot region from it.
   */
  readonly slotNames: readonly string[];
  /** Steps taken so far. */
  iterations: number;
  /** One optimizer step over every run of trainable parameters. */
  step(b: Backend, runs: readonly ParamRun[]): void;
  /**
   * The optimizer as TF.js serializes it in a model's trainingConfig, or null when TF.js has
   * no equivalent (AdamW, weight decay): such a model is saved without an optimizer entry.
   */
  toTfjs(): TfjsOptimizerConfig | null;
}

/** Rebuilds an optimizer from a TF.js optimizer_config's `config`. */
export type OptimizerFromTfjs = (config: Record<string, unknown>) => Optimizer;

// A Map: a class_name such as '__proto__' must find nothing.
const tfjsClasses = new Map<string, OptimizerFromTfjs>();

/** Makes an optimizer loadable from a model's trainingConfig under its TF.js class name(s). */
export function registerTfjsOptimizer(className: string, fromTfjs: OptimizerFromTfjs): void {
  if (tfjsClasses.has(className)) throw new Error(`registerTfjsOptimizer: '${className}' is already registered`);
  tfjsClasses.set(className, fromTfjs);
}

/** Rebuilds an optimizer from a TF.js trainingConfig.optimizer_config; null if it is not one wasmnn has. */
export function optimizerFromTfjs(entry: unknown): Optimizer | null {
  if (typeof entry !== 'object' || entry === null) return null;
  const { class_name: cls, config = {} } = entry as { class_name?: unknown; config?: Record<string, unknown> };
  const make = typeof cls === 'string' ? tfjsClasses.get(cls) : undefined;
  return make ? make(config) : null;
}

/** The numeric options of a TF.js config that are numbers, for passing on as optimizer args. */
export function numericOptions<K extends string>(config: Record<string, unknown>, keys: readonly K[]): Partial<Record<K, number>> {
  const out: Partial<Record<K, number>> = {};
  for (const k of keys) if (typeof config[k] === 'number') out[k] = config[k] as number;
  return out;
}

export function nonNegative(v: number, what: string, optimizer: string): number {
  if (!(typeof v === 'number' && Number.isFinite(v) && v >= 0)) throw new Error(`${optimizer}: ${what} must be a finite number ≥ 0, got ${v}`);
  return v;
}

/** One optimizer's own update: what makeOptimizer wraps with schedules, clipping and weight decay. */
export interface UpdateRule {
  readonly className: string;
  readonly slotNames: readonly string[];
  readonly defaultLearningRate: number;
  /**
   * Updates one run at rate lr; t is the 1-based step number. A rule with fusesWeightDecay
   * applies weightDecay in its kernel; for the others makeOptimizer decays the parameters first.
   */
  update(b: Backend, run: ParamRun, lr: number, t: number, weightDecay: number): void;
  readonly fusesWeightDecay?: boolean;
  /** The TF.js class name and options (learningRate is added), or null when TF.js cannot name it. */
  tfjs(): TfjsOptimizerConfig | null;
}

interface Clipping {
  clipNorm: number;
  globalClipnorm: number;
  clipValue: number;
}

/**
 * An Optimizer from its update rule and the common arguments, in Keras' order per step: the
 * scheduled rate, gradient clipping, decoupled weight decay, then the update. Allocates nothing.
 */
export function makeOptimizer(rule: UpdateRule, args: OptimizerArgs): Optimizer {
  const name = rule.className;
  const clip: Clipping = { clipNorm: positiveOption(args.clipNorm, 'clipNorm', name), globalClipnorm: positiveOption(args.globalClipnorm, 'globalClipnorm', name), clipValue: positiveOption(args.clipValue, 'clipValue', name) };
  if ([clip.clipNorm, clip.globalClipnorm, clip.clipValue].filter((c) => c > 0).length > 1) {
    throw new Error(`${name}: give at most one of clipNorm, globalClipnorm and clipValue`);
  }
  const weightDecay = nonNegative(args.weightDecay ?? 0, 'weightDecay', name);
  const rate = args.learningRate ?? rule.defaultLearningRate;
  const schedule = typeof rate === 'function' ? rate : null;
  return {
    className: name,
    learningRate: nonNegative(schedule ? schedule(0) : rate as number, 'learningRate', name),
    schedule,
    slotNames: rule.slotNames,
    iterations: 0,
    step(b, runs) {
      if (this.schedule) this.learningRate = this.schedule(this.iterations);
      const t = ++this.iterations;
      const lr = this.learningRate;
      clipGradients(b, runs, clip);
      for (const r of runs) {
        if (weightDecay !== 0 && !rule.fusesWeightDecay) b.scaleClamp(r.params, r.size, 1 - lr * weightDecay, Infinity);
        rule.update(b, r, lr, t, weightDecay);
      }
    },
    toTfjs() {
      const own = rule.tfjs();
      if (!own) return null;
      // TF.js ignores options it does not know; wasmnn reads these back (optimizerFromTfjs).
      const extra: Record<string, number> = {};
      for (const [k, v] of Object.entries({ ...clip, weightDecay })) if (v > 0) extra[k] = v;
      return { class_name: own.class_name, config: { learningRate: this.learningRate, ...own.config, ...extra } };
    },
  };
}

/** Keras clipping: by each array's norm, by the norm of all gradients, or by value (one of them). */
function clipGradients(b: Backend, runs: readonly ParamRun[], clip: Clipping): void {
  if (clip.globalClipnorm > 0) {
    let sum = 0;
    for (const r of runs) sum += b.sumOfSquares(r.grads, r.size);
    const norm = Math.sqrt(sum);
    if (norm > clip.globalClipnorm) for (const r of runs) b.scaleClamp(r.grads, r.size, clip.globalClipnorm / norm, Infinity);
  } else if (clip.clipNorm > 0) {
    for (const r of runs) {
      let ptr = r.grads;
      for (const size of r.tensorSizes) {
        const norm = Math.sqrt(b.sumOfSquares(ptr, size));
        if (norm > clip.clipNorm) b.scaleClamp(ptr, size, clip.clipNorm / norm, Infinity);
        ptr += size;
      }
    }
  } else if (clip.clipValue > 0) {
    for (const r of runs) b.scaleClamp(r.grads, r.size, 1, clip.clipValue);
  }
}

/** The common options a TF.js config written by makeOptimizer carries, for an optimizer's args. */
export function commonOptions(config: Record<string, unknown>): OptimizerArgs {
  return numericOptions(config, ['learningRate', 'clipNorm', 'globalClipnorm', 'clipValue', 'weightDecay']);
}

function positiveOption(v: number | undefined, what: string, optimizer: string): number {
  if (v === undefined) return 0;
  if (!(typeof v === 'number' && Number.isFinite(v) && v > 0)) throw new Error(`${optimizer}: ${what} must be a finite number > 0, got ${v}`);
  return v;
}
