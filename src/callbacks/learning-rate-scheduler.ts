import type { CallbackModel, Callbacks } from '../model/training-loop.js';
import { requireModel } from './monitor.js';

/** Keras LearningRateScheduler: sets the rate at each epoch's start to schedule(epoch, current rate). */
export class LearningRateScheduler implements Callbacks {
  private model: CallbackModel | null = null;

  constructor(private readonly schedule: (epoch: number, learningRate: number) => number) {
    if (typeof schedule !== 'function') throw new Error('learningRateScheduler: pass a function (epoch, learningRate) => learningRate');
  }

  setModel(model: CallbackModel): void {
    if (model.optimizer?.schedule) throw new Error('learningRateScheduler: the optimizer already follows a per-step learning-rate schedule; use one or the other');
    this.model = model;
  }

  onEpochBegin(epoch: number): void {
    const optimizer = requireModel(this.model, 'learningRateScheduler').optimizer!;
    const rate = this.schedule(epoch, optimizer.learningRate);
    if (!(typeof rate === 'number' && Number.isFinite(rate) && rate >= 0)) throw new Error(`learningRateScheduler: the schedule returned ${rate} for epoch ${epoch}; it must return a finite number ≥ 0`);
    optimizer.learningRate = rate;
  }
}
