import type { Ptr } from '../kernels/kernels.js';
import type { Loss } from '../losses.js';
import { auc } from './auc.js';
import { checkOptions, type Metric } from './metric.js';

export type { Metric, MetricState } from './metric.js';

/** Metric names compile accepts: Keras' names in camelCase or snake_case, and their short aliases. */
export type MetricName =
  | 'accuracy'
  | 'acc'
  | 'binaryAccuracy'
  | 'binary_accuracy'
  | 'categoricalAccuracy'
  | 'categorical_accuracy'
  | 'sparseCategoricalAccuracy'
  | 'sparse_categorical_accuracy'
  | 'topKCategoricalAccuracy'
  | 'top_k_categorical_accuracy'
  | 'mae'
  | 'meanAbsoluteError'
  | 'mean_absolute_error'
  | 'mse'
  | 'meanSquaredError'
  | 'mean_squared_error'
  | 'precision'
  | 'recall'
  | 'auc';

/** Means over samples of a per-sample value. */
function meanMetric(key: string, tfjsName: string | null, perSample: (f: Float32Array, o: Ptr, t: Ptr, cols: number) => number, config: Metric['config'] = key): Metric {
  return {
    key,
    config,
    tfjsName,
    create() {
      let sum = 0;
      let count = 0;
      return {
        update(f, output, target, rows, cols) {
          for (let r = 0; r < rows; r++) sum += perSample(f, output + r * cols, target + r * cols, cols);
          count += rows;
        },
        result: () => (count === 0 ? 0 : sum / count),
      };
    },
  };
}

/** The first index of a row's largest value (as argMax). */
function argMax(f: Float32Array, at: Ptr, cols: number): number {
  let best = 0;
  for (let c = 1; c < cols; c++) if (f[at + c]! > f[at + best]!) best = c;
  return best;
}

function meanError(power: 1 | 2) {
  return (f: Float32Array, o: Ptr, t: Ptr, cols: number): number => {
    let sum = 0;
    for (let c = 0; c < cols; c++) {
      const d = f[o + c]! - f[t + c]!;
      sum += power === 1 ? Math.abs(d) : d * d;
    }
    return sum / cols;
  };
}

const categoricalMatch = (f: Float32Array, o: Ptr, t: Ptr, cols: number): number => (argMax(f, o, cols) === argMax(f, t, cols) ? 1 : 0);

export function binaryAccuracy(options: { threshold?: number; name?: string } = {}): Metric {
  checkOptions('binaryAccuracy', options, ['threshold', 'name']);
  const threshold = options.threshold ?? 0.5;
  if (!(threshold >= 0 && threshold <= 1)) throw new Error(`metrics.binaryAccuracy: threshold must be in [0, 1], got ${threshold}`);
  const key = options.name ?? 'binary_accuracy';
  const perSample = (f: Float32Array, o: Ptr, t: Ptr, cols: number): number => {
    let hits = 0;
    for (let c = 0; c < cols; c++) if ((f[o + c]! > threshold ? 1 : 0) === f[t + c]) hits++;
    return hits / cols;
  };
  const plain = threshold === 0.5 && options.name === undefined;
  return meanMetric(key, plain ? 'binary_accuracy' : null, perSample, plain ? key : { class_name: 'BinaryAccuracy', config: { name: key, threshold } });
}

export function categoricalAccuracy(): Metric {
  return meanMetric('categorical_accuracy', 'categorical_accuracy', categoricalMatch);
}

/** Targets are one-hot in the arena whatever the labels were, so it counts as categoricalAccuracy does. */
export function sparseCategoricalAccuracy(): Metric {
  return meanMetric('sparse_categorical_accuracy', null, categoricalMatch);
}

/** Whether the true class (the target's argmax) is among the k highest outputs; ties at the k-th value count as in (as tf.math.in_top_k). */
export function topKCategoricalAccuracy(options: { k?: number; name?: string } = {}): Metric {
  checkOptions('topKCategoricalAccuracy', options, ['k', 'name']);
  const k = options.k ?? 5;
  if (!Number.isInteger(k) || k < 1) throw new Error(`metrics.topKCategoricalAccuracy: k must be a positive integer, got ${k}`);
  const key = options.name ?? 'top_k_categorical_accuracy';
  const perSample = (f: Float32Array, o: Ptr, t: Ptr, cols: number): number => {
    const truth = f[o + argMax(f, t, cols)]!;
    let above = 0;
    for (let c = 0; c < cols; c++) if (f[o + c]! > truth) above++;
    return above < k ? 1 : 0;
  };
  const plain = k === 5 && options.name === undefined;
  return meanMetric(key, null, perSample, plain ? key : { class_name: 'TopKCategoricalAccuracy', config: { name: key, k } });
}

/** Keras' Precision / Recall: every output value is a prediction, positive when > threshold; a target is positive when non-zero. */
function thresholdCounts(kind: 'precision' | 'recall', options: { thresholds?: number; name?: string }): Metric {
  checkOptions(kind, options, ['thresholds', 'name']);
  const threshold = options.thresholds ?? 0.5;
  if (!(threshold >= 0 && threshold <= 1)) throw new Error(`metrics.${kind}: thresholds must be a number in [0, 1], got ${threshold}`);
  const key = options.name ?? kind;
  const plain = threshold === 0.5 && options.name === undefined;
  return {
    key,
    tfjsName: null,
    config: plain ? key : { class_name: kind === 'precision' ? 'Precision' : 'Recall', config: { name: key, thresholds: threshold } },
    create() {
      let truePositives = 0;
      let others = 0; // false positives for precision, false negatives for recall
      return {
        update(f, output, target, rows, cols) {
          for (let i = 0; i < rows * cols; i++) {
            const predicted = f[output + i]! > threshold;
            const actual = f[target + i]! !== 0;
            if (predicted && actual) truePositives++;
            else if (kind === 'precision' ? predicted && !actual : actual && !predicted) others++;
          }
        },
        result: () => (truePositives + others === 0 ? 0 : truePositives / (truePositives + others)),
      };
    },
  };
}

export function precision(options: { thresholds?: number; name?: string } = {}): Metric {
  return thresholdCounts('precision', options);
}

export function recall(options: { thresholds?: number; name?: string } = {}): Metric {
  return thresholdCounts('recall', options);
}

const mae = (): Metric => meanMetric('mae', 'mae', meanError(1));
const mse = (): Metric => meanMetric('mse', 'mse', meanError(2));

/**
 * 'accuracy' as Keras resolves it: binary for binary cross-entropy or a one-unit output, sparse
 * categorical for sparse labels, categorical otherwise. Logged as 'accuracy'.
 */
function accuracy(loss: Loss, units: number): Metric {
  const resolved = loss.name === 'binaryCrossentropy' || units === 1 ? binaryAccuracy() : loss.sparseLabels ? sparseCategoricalAccuracy() : categoricalAccuracy();
  return { ...resolved, key: 'accuracy', config: 'accuracy', tfjsName: 'accuracy' };
}

const BY_NAME: Readonly<Record<MetricName, (loss: Loss, units: number) => Metric>> = {
  accuracy,
  acc: accuracy,
  binaryAccuracy: () => binaryAccuracy(),
  binary_accuracy: () => binaryAccuracy(),
  categoricalAccuracy,
  categorical_accuracy: categoricalAccuracy,
  sparseCategoricalAccuracy,
  sparse_categorical_accuracy: sparseCategoricalAccuracy,
  topKCategoricalAccuracy: () => topKCategoricalAccuracy(),
  top_k_categorical_accuracy: () => topKCategoricalAccuracy(),
  mae,
  meanAbsoluteError: mae,
  mean_absolute_error: mae,
  mse,
  meanSquaredError: mse,
  mean_squared_error: mse,
  precision: () => precision(),
  recall: () => recall(),
  auc: () => auc(),
};

/** What compile's `metrics` takes: names, or metric objects (`metrics.auc({ numThresholds: 100 })`). */
export type MetricSpec = MetricName | Metric;

/** The metrics for compile's names and objects (a repeated key once); throws naming an unknown one. */
export function resolveMetrics(specs: readonly MetricSpec[], loss: Loss, units: number): Metric[] {
  const out: Metric[] = [];
  for (const spec of specs) {
    const metric = typeof spec === 'object' && spec !== null ? spec : Object.hasOwn(BY_NAME, spec) ? BY_NAME[spec](loss, units) : undefined;
    if (!metric) throw new Error(`compile: unsupported metric '${String(spec)}'; supported: ${Object.keys(BY_NAME).join(', ')}`);
    if (!out.some((m) => m.key === metric.key)) out.push(metric);
  }
  return out;
}

const FROM_CLASS: Readonly<Record<string, (config: Record<string, unknown>) => Metric>> = {
  BinaryAccuracy: (c) => binaryAccuracy({ threshold: c['threshold'] as number, name: c['name'] as string }),
  TopKCategoricalAccuracy: (c) => topKCategoricalAccuracy({ k: c['k'] as number, name: c['name'] as string }),
  Precision: (c) => precision({ thresholds: c['thresholds'] as number, name: c['name'] as string }),
  Recall: (c) => recall({ thresholds: c['thresholds'] as number, name: c['name'] as string }),
  AUC: (c) => auc({ numThresholds: c['num_thresholds'] as number, name: c['name'] as string }),
};

/**
 * Metrics as model files store them (names in either case, or Keras' { class_name, config }),
 * read back to the ones wasmnn has; others (TF.js' 'mape', say) are left out.
 */
export function metricsFromConfig(entries: unknown): MetricSpec[] {
  if (!Array.isArray(entries)) return [];
  const out: MetricSpec[] = [];
  for (const entry of entries) {
    if (typeof entry === 'string' && Object.hasOwn(BY_NAME, entry)) out.push(entry as MetricName);
    else if (typeof entry === 'object' && entry !== null) {
      const { class_name: className, config } = entry as { class_name?: unknown; config?: Record<string, unknown> };
      const make = typeof className === 'string' && Object.hasOwn(FROM_CLASS, className) ? FROM_CLASS[className] : undefined;
      if (!make) continue;
      // Keras writes null for options left at their default.
      const given = Object.fromEntries(Object.entries(config ?? {}).filter(([, v]) => v !== null && v !== undefined));
      try {
        out.push(make(given));
      } catch {
        // An option wasmnn does not have (Keras' list of thresholds, say): left out like an unknown metric.
      }
    }
  }
  return out;
}

/** The metric factories: `metrics.auc()`, `metrics.topKCategoricalAccuracy({ k: 3 })`. */
export const metrics = { binaryAccuracy, categoricalAccuracy, sparseCategoricalAccuracy, topKCategoricalAccuracy, precision, recall, auc };
