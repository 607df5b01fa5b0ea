import type { Logs } from '../model/progress.js';

/** Whether a larger or a smaller monitored value is better; 'auto' decides from its name as Keras does. */
export type MonitorMode = 'auto' | 'min' | 'max';

/** Keras' auto mode: accuracies, AUC, precision and recall rise; losses and errors fall. */
export function resolveMode(mode: MonitorMode, monitor: string, callback: string): 'min' | 'max' {
  if (mode === 'min' || mode === 'max') return mode;
  if (mode !== 'auto') throw new Error(`${callback}: mode must be 'auto', 'min' or 'max', got '${String(mode)}'`);
  return /acc|auc|precision|recall/.test(monitor) ? 'max' : 'min';
}

/** The monitored value of an epoch's logs, or an error naming the keys there are. */
export function monitored(logs: Logs, monitor: string, callback: string): number {
  const v = logs[monitor];
  if (v === undefined) {
    throw new Error(`${callback}: monitor '${monitor}' is not in the epoch's logs (${Object.keys(logs).join(', ')}); pass validation data for 'val_' keys or monitor another`);
  }
  return v;
}

export function checkNonNegative(v: number, what: string, callback: string): number {
  if (!(typeof v === 'number' && Number.isFinite(v) && v >= 0)) throw new Error(`${callback}: ${what} must be a finite number ≥ 0, got ${v}`);
  return v;
}

export function checkCount(v: number, what: string, callback: string): number {
  if (!(Number.isInteger(v) && v >= 0)) throw new Error(`${callback}: ${what} must be a whole number ≥ 0, got ${v}`);
  return v;
}

/** The model a callback was given by fit (setModel), or an error saying it was used outside fit. */
export function requireModel<T>(model: T | null, callback: string): T {
  if (model === null) throw new Error(`${callback}: not attached to a model; pass it to fit({ callbacks })`);
  return model;
}
