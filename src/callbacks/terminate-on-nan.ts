import type { Logs } from '../model/progress.js';
import type { CallbackModel, Callbacks } from '../model/training-loop.js';
import { requireModel } from './monitor.js';

/**
 * Keras TerminateOnNaN: stops fit, without an error, at the first batch whose loss is NaN or
 * ±Infinity (that batch changes no weight). Without it such a loss makes fit throw.
 */
export class TerminateOnNaN implements Callbacks {
  /** The batch (step within its epoch) that ended training, or null. */
  terminatedAtStep: number | null = null;
  private model: CallbackModel | null = null;

  setModel(model: CallbackModel): void {
    this.model = model;
  }

  onBatchEnd(step: number, logs: Logs): void {
    const loss = logs['loss'];
    if (loss !== undefined && !Number.isFinite(loss)) {
      this.terminatedAtStep = step;
      requireModel(this.model, 'terminateOnNaN').stopTraining = true;
    }
  }
}
