import type { Ptr } from '../kernels/kernels.js';
import type { Passes } from './passes.js';

/** Metric names compile accepts: Keras' short names and their aliases ('acc' is accuracy). */
export type MetricName = 'accuracy' | 'acc' | 'mae' | 'meanAbsoluteError' | 'mse' | 'meanSquaredError';

/** A metric as the loops accumulate it: a sum over a batch's samples, averaged over the epoch. */
export interface Metric {
  /** Its key in the logs and results (Keras' short name; `val_` + key for validation). */
  readonly key: 'accuracy' | 'mae' | 'mse';
  /** The sum over `rows` samples of the per-sample value, from the outputs and targets in the arena. */
  batchSum(passes: Passes, output: Ptr, target: Ptr, rows: number): number;
}

const METRICS: Readonly<Record<Metric['key'], Metric>> = {
  accuracy: { key: 'accuracy', batchSum: (p, o, t, rows) => p.countCorrect(o, t, rows) },
  mae: { key: 'mae', batchSum: (p, o, t, rows) => p.meanErrorSum(o, t, rows, 1) },
  mse: { key: 'mse', batchSum: (p, o, t, rows) => p.meanErrorSum(o, t, rows, 2) },
};

const ALIASES: Readonly<Record<MetricName, Metric['key']>> = {
  accuracy: 'accuracy',
  acc: 'accuracy',
  mae: 'mae',
  meanAbsoluteError: 'mae',
  mse: 'mse',
  meanSquaredError: 'mse',
};

/** The metrics for compile's names (duplicates once); throws naming an unknown one. */
export function resolveMetrics(names: readonly string[]): Metric[] {
  const out: Metric[] = [];
  for (const name of names) {
    const key = Object.hasOwn(ALIASES, name) ? ALIASES[name as MetricName] : undefined;
    if (!key) throw new Error(`compile: unsupported metric '${name}'; supported: ${Object.keys(ALIASES).join(', ')}`);
    if (!out.some((m) => m.key === key)) out.push(METRICS[key]);
  }
  return out;
}

/** Metric names as model files store them (trainingConfig.metrics), read back to the ones wasmnn has. */
export function metricsFromConfig(names: unknown): MetricName[] {
  if (!Array.isArray(names)) return [];
  const snake: Record<string, MetricName> = { mean_absolute_error: 'mae', mean_squared_error: 'mse' };
  return names.map((n) => (typeof n === 'string' ? (snake[n] ?? n) : n)).filter((n): n is MetricName => typeof n === 'string' && Object.hasOwn(ALIASES, n));
}
