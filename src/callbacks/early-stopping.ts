import type { Logs } from '../model/progress.js';
import type { CallbackModel, Callbacks } from '../model/training-loop.js';
import type { NamedWeight } from '../model/weights-format.js';
import { checkCount, checkNonNegative, monitored, requireModel, resolveMode, type MonitorMode } from './monitor.js';

export interface EarlyStoppingArgs {
  /** The log to watch (default 'val_loss'). */
  monitor?: string;
  /** The least change that counts as an improvement (default 0). */
  minDelta?: number;
  /** Epochs without improvement before stopping (default 0). */
  patience?: number;
  mode?: MonitorMode;
  /** Keep training while the value has not beaten this one. */
  baseline?: number;
  /** When stopping, set the weights of the best epoch back. */
  restoreBestWeights?: boolean;
}

/** Keras EarlyStopping: stops fit when the monitored value has stopped improving. */
export class EarlyStopping implements Callbacks {
  readonly monitor: string;
  /** The epoch training stopped after (0 when it did not stop early). */
  stoppedEpoch = 0;
  /** The epoch of the best value, and the value. */
  bestEpoch = 0;
  best = Infinity;
  private readonly minDelta: number;
  private readonly patience: number;
  private readonly sign: 1 | -1;
  private readonly baseline: number | undefined;
  private readonly restoreBestWeights: boolean;
  private wait = 0;
  private bestWeights: NamedWeight[] | null = null;
  private model: CallbackModel | null = null;

  constructor(args: EarlyStoppingArgs = {}) {
    this.monitor = args.monitor ?? 'val_loss';
    this.minDelta = checkNonNegative(args.minDelta ?? 0, 'minDelta', 'earlyStopping');
    this.patience = checkCount(args.patience ?? 0, 'patience', 'earlyStopping');
    // Compared as sign·value, so that smaller is always better.
    this.sign = resolveMode(args.mode ?? 'auto', this.monitor, 'earlyStopping') === 'max' ? -1 : 1;
    this.baseline = args.baseline;
    this.restoreBestWeights = args.restoreBestWeights ?? false;
  }

  setModel(model: CallbackModel): void {
    this.model = model;
  }

  onTrainBegin(): void {
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.bestEpoch = 0;
    this.best = this.sign * Infinity;
    this.bestWeights = null;
  }

  onEpochEnd(epoch: number, logs: Logs): void {
    const model = requireModel(this.model, 'earlyStopping');
    const current = monitored(logs, this.monitor, 'earlyStopping');
    // If no epoch improves, the first epoch's weights are the best.
    if (this.restoreBestWeights && this.bestWeights === null) {
      this.bestWeights = model.getWeights();
      this.bestEpoch = epoch;
    }
    this.wait++;
    if (this.improves(current, this.best)) {
      this.best = current;
      this.bestEpoch = epoch;
      if (this.restoreBestWeights) this.bestWeights = model.getWeights();
      if (this.baseline === undefined || this.improves(current, this.baseline)) this.wait = 0;
      return;
    }
    if (this.wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      model.stopTraining = true;
      if (this.bestWeights) model.setWeights(this.bestWeights);
    }
  }

  /** Keras' test: better than the reference by more than minDelta (NaN never improves). */
  private improves(value: number, reference: number): boolean {
    return this.sign * (value + this.sign * this.minDelta) < this.sign * reference;
  }
}
