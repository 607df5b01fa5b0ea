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
}

/** The TF.js serialized form of an optimizer (trainingConfig.optimizer_config). */
export interface TfjsOptimizerConfig {
  class_name: string;
  config: Record<string, unknown>;
}

/** Updates parameters in place from their gradients, one step at a time. */
export interface Optimizer {
  readonly className: string;
  learningRate: number;
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
