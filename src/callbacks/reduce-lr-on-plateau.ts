import type { Logs } from '../model/progress.js';
import type { CallbackModel, Callbacks } from '../model/training-loop.js';
import { checkCount, checkNonNegative, monitored, requireModel, resolveMode, type MonitorMode } from './monitor.js';

export interface ReduceLROnPlateauArgs {
  /** The log to watch (default 'val_loss'). */
  monitor?: string;
  /** The rate is multiplied by this when reduced, in (0, 1) (default 0.1). */
  factor?: number;
  /** Epochs without improvement before reducing (default 10). */
  patience?: number;
  mode?: MonitorMode;
  /** The least change that counts as an improvement (default 1e-4). */
  minDelta?: number;
  /** Epochs to wait after a reduction before counting again (default 0). */
  cooldown?: number;
  /** The rate never goes below this (default 0). */
  minLr?: number;
}

/** Keras ReduceLROnPlateau: lowers a constant learning rate when the monitored value stalls. */
export class ReduceLROnPlateau implements Callbacks {
  readonly monitor: string;
  private readonly factor: number;
  private readonly patience: number;
  private readonly sign: 1 | -1;
  private readonly minDelta: number;
  private readonly cooldown: number;
  private readonly minLr: number;
  private best = Infinity;
  private wait = 0;
  private cooldownLeft = 0;
  private model: CallbackModel | null = null;

  constructor(args: ReduceLROnPlateauArgs = {}) {
    this.monitor = args.monitor ?? 'val_loss';
    this.factor = args.factor ?? 0.1;
    if (!(this.factor > 0 && this.factor < 1)) throw new Error(`reduceLROnPlateau: factor must be in (0, 1), got ${this.factor}`);
    this.patience = checkCount(args.patience ?? 10, 'patience', 'reduceLROnPlateau');
    this.sign = resolveMode(args.mode ?? 'auto', this.monitor, 'reduceLROnPlateau') === 'max' ? -1 : 1;
    this.minDelta = checkNonNegative(args.minDelta ?? 1e-4, 'minDelta', 'reduceLROnPlateau');
    this.cooldown = checkCount(args.cooldown ?? 0, 'cooldown', 'reduceLROnPlateau');
    this.minLr = checkNonNegative(args.minLr ?? 0, 'minLr', 'reduceLROnPlateau');
  }

  setModel(model: CallbackModel): void {
    if (model.optimizer?.schedule) throw new Error('reduceLROnPlateau: the optimizer follows a learning-rate schedule, which would override the reduced rate; use a constant learningRate');
    this.model = model;
  }

  onTrainBegin(): void {
    this.best = this.sign * Infinity;
    this.wait = 0;
    this.cooldownLeft = 0;
  }

  onEpochEnd(_epoch: number, logs: Logs): void {
    const optimizer = requireModel(this.model, 'reduceLROnPlateau').optimizer!;
    const current = monitored(logs, this.monitor, 'reduceLROnPlateau');
    if (this.cooldownLeft > 0) {
      this.cooldownLeft--;
      this.wait = 0;
    }
    if (this.sign * current < this.sign * this.best - this.minDelta) {
      this.best = current;
      this.wait = 0;
    } else if (this.cooldownLeft === 0 && ++this.wait >= this.patience && optimizer.learningRate > Math.fround(this.minLr)) {
      optimizer.learningRate = Math.max(optimizer.learningRate * this.factor, this.minLr);
      this.cooldownLeft = this.cooldown;
      this.wait = 0;
    }
  }
}
