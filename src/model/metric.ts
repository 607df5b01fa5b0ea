import type { Ptr } from '../kernels/kernels.js';

/** A metric's running value over the batches of one epoch (or one evaluate call). */
export interface MetricState {
  /** Adds a batch: `rows` outputs and their targets (rows × cols, one-hot for sparse labels) in f. */
  update(f: Float32Array, output: Ptr, target: Ptr, rows: number, cols: number): void;
  /** The value over every batch added since the state was made. */
  result(): number;
}

/** A compiled metric: its key in the logs and a fresh state per fit or evaluate (no allocation per step). */
export interface Metric {
  /** Its key in the logs and results (Keras' name; `val_` + key for validation). */
  readonly key: string;
  /** As trainingConfig.metrics holds it: a name, or Keras' { class_name, config } when it has options. */
  readonly config: string | { class_name: string; config: Record<string, unknown> };
  /** The name TF.js 4.22 compiles with the same meaning, or null. */
  readonly tfjsName: string | null;
  create(): MetricState;
}

/** Throws naming an option the metric does not have. */
export function checkOptions(what: string, options: object, known: readonly string[]): void {
  if (typeof options !== 'object' || options === null) throw new Error(`metrics.${what}: options must be an object`);
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) throw new Error(`metrics.${what}: unknown option '${key}'; options: ${known.join(', ')}`);
  }
}
