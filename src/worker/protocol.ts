/**
 * The messages between a page's WorkerModel (worker-model.ts) and the model it drives in a
 * worker (model-host.ts). Everything here survives structured cloning: tensors travel as their
 * array and shape, optimizers, losses and metrics as the configs model files hold.
 */
import type { NamedWeight } from '../model/weights-format.js';
import type { Logs } from '../model/progress.js';
import type { YieldEvery } from '../model/yield-policy.js';
import type { ModelSource } from '../model/load.js';
import type { BackendName } from '../kernels/backend.js';

/** A tensor on the wire. */
export interface WireTensor {
  data: Float32Array;
  shape: number[];
}

/** Where the worker's model comes from: layers (+ weights) copied from a page model, or what loadModel reads. */
export type WireSource = { topology: Record<string, unknown>; weights: NamedWeight[] | null } | { load: ModelSource };

export interface WireModelOptions {
  seed?: number;
  backend?: BackendName;
  threads?: number;
}

export interface WireCompileArgs {
  /** A name ('adam') or a TF.js optimizer_config ({ class_name, config }). */
  optimizer: unknown;
  /** A name or a Keras loss config. */
  loss: unknown;
  /** Names or Keras metric configs. */
  metrics: unknown[];
}

/** fit's options that can cross to a worker (its callbacks stay in the page, as progress messages). */
export interface WireFitArgs {
  batchSize?: number;
  epochs?: number;
  initialEpoch?: number;
  shuffle?: boolean;
  validationSplit?: number;
  validationData?: [WireTensor, WireTensor];
  sampleWeight?: WireTensor;
  classWeight?: Record<number, number>;
  yieldEvery?: YieldEvery;
}

export type Request =
  | { id: number; op: 'create'; source: WireSource; options: WireModelOptions }
  | { id: number; op: 'compile'; args: WireCompileArgs }
  | { id: number; op: 'fit'; x: WireTensor; y: WireTensor; args: WireFitArgs }
  | { id: number; op: 'evaluate'; x: WireTensor; y: WireTensor; batchSize?: number }
  | { id: number; op: 'predict'; x: WireTensor; batchSize?: number }
  | { id: number; op: 'artifacts'; includeOptimizer: boolean }
  | { id: number; op: 'getWeights' }
  | { id: number; op: 'setWeights'; weights: NamedWeight[] }
  | { id: number; op: 'dispose' }
  /** Stops the running fit after its current batch (no reply of its own: the fit's reply says it). */
  | { id: number; op: 'cancel' };

/** A fit's progress, as Keras callbacks see it. */
export type Progress =
  | { kind: 'trainBegin' }
  | { kind: 'epochBegin'; epoch: number }
  | { kind: 'batchEnd'; batch: number; logs: Logs }
  | { kind: 'epochEnd'; epoch: number; logs: Logs }
  | { kind: 'trainEnd'; logs: Logs };

export interface WireError {
  name: string;
  message: string;
  stack?: string;
}

export type Reply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: WireError }
  | { id: number; progress: Progress };

/** The fit reply of a cancelled fit: the history so far and where it stopped. */
export interface CancelledFit {
  cancelled: { epoch: number; batch: number };
}

/** The error of a worker (or a cancelled fit) as the page rethrows it: an Error with the original name and message. */
export function errorFromWire(e: WireError): Error {
  const error = new Error(e.message);
  error.name = e.name;
  // The worker's stack says where it failed; the page's would only show the message handler.
  if (e.stack) error.stack = e.stack;
  return error;
}

export function errorToWire(e: unknown): WireError {
  if (e instanceof Error) return { name: e.name, message: e.message, ...(e.stack && { stack: e.stack }) };
  return { name: 'Error', message: String(e) };
}

/** The ArrayBuffers of typed arrays to transfer, each once (never a SharedArrayBuffer, which is shared, not moved). */
export function transferables(arrays: readonly ArrayBufferView[]): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const a of arrays) if (a.buffer instanceof ArrayBuffer) buffers.add(a.buffer);
  return [...buffers];
}
