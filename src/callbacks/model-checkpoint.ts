import type { Logs } from '../model/progress.js';
import type { CallbackModel, Callbacks } from '../model/training-loop.js';
import type { ModelArtifacts } from '../model/weights-format.js';
import { monitored, requireModel, resolveMode, type MonitorMode } from './monitor.js';

export interface ModelCheckpointArgs {
  /** The log to watch with saveBestOnly (default 'val_loss'). */
  monitor?: string;
  /** Save only when the monitored value beats the best so far. */
  saveBestOnly?: boolean;
  mode?: MonitorMode;
  /** Save the optimizer state too, so training can resume from the checkpoint. */
  includeOptimizer?: boolean;
}

/**
 * Keras ModelCheckpoint: saves the model after each epoch (or only the best one). The target is
 * where model.save writes: a directory in Node, a URL scheme (indexeddb://…) in browsers, or a
 * function that stores the artifacts anywhere. In a string target, `{epoch}` (1-based, as Keras)
 * and `{<log key>}` are replaced, e.g. 'ckpt/epoch-{epoch}'.
 */
export class ModelCheckpoint implements Callbacks {
  readonly monitor: string;
  /** The best monitored value saved so far (saveBestOnly). */
  best = Infinity;
  /** Epochs a checkpoint was written after. */
  readonly savedEpochs: number[] = [];
  private readonly saveBestOnly: boolean;
  private readonly sign: 1 | -1;
  private readonly includeOptimizer: boolean;
  private model: CallbackModel | null = null;

  constructor(
    private readonly target: string | ((artifacts: ModelArtifacts) => Promise<void> | void),
    args: ModelCheckpointArgs = {},
  ) {
    if (typeof target !== 'function' && (typeof target !== 'string' || target === '')) throw new Error('modelCheckpoint: the target must be a path or URL string or a save function');
    this.monitor = args.monitor ?? 'val_loss';
    this.saveBestOnly = args.saveBestOnly ?? false;
    this.sign = resolveMode(args.mode ?? 'auto', this.monitor, 'modelCheckpoint') === 'max' ? -1 : 1;
    this.includeOptimizer = args.includeOptimizer ?? false;
  }

  setModel(model: CallbackModel): void {
    this.model = model;
  }

  onTrainBegin(): void {
    this.best = this.sign * Infinity;
  }

  async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    const model = requireModel(this.model, 'modelCheckpoint');
    if (this.saveBestOnly) {
      const current = monitored(logs, this.monitor, 'modelCheckpoint');
      if (!(this.sign * current < this.sign * this.best)) return;
      this.best = current;
    }
    const target = typeof this.target === 'function' ? this.target : expandTarget(this.target, epoch, logs);
    await model.save(target, { includeOptimizer: this.includeOptimizer });
    this.savedEpochs.push(epoch);
  }
}

/** `{epoch}` → epoch + 1, `{key}` → logs[key]; an unknown name is an error naming it. */
function expandTarget(target: string, epoch: number, logs: Logs): string {
  return target.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
    if (name === 'epoch') return String(epoch + 1);
    const v = logs[name];
    if (v === undefined) throw new Error(`modelCheckpoint: '{${name}}' in '${target}' is neither 'epoch' nor a key of the logs (${Object.keys(logs).join(', ')})`);
    return String(v);
  });
}
