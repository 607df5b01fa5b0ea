// Keras callbacks for fit and fitDataset (TF.js: tf.callbacks.earlyStopping(...)). csvLogger
// writes files, so it is exported from the Node entry only (callbacks/csv-logger.ts).
import { EarlyStopping, type EarlyStoppingArgs } from './early-stopping.js';
import { LearningRateScheduler } from './learning-rate-scheduler.js';
import { ModelCheckpoint, type ModelCheckpointArgs } from './model-checkpoint.js';
import { ReduceLROnPlateau, type ReduceLROnPlateauArgs } from './reduce-lr-on-plateau.js';
import { TerminateOnNaN } from './terminate-on-nan.js';
import type { ModelArtifacts } from '../model/weights-format.js';

export { EarlyStopping, type EarlyStoppingArgs } from './early-stopping.js';
export { LearningRateScheduler } from './learning-rate-scheduler.js';
export { ModelCheckpoint, type ModelCheckpointArgs } from './model-checkpoint.js';
export { ReduceLROnPlateau, type ReduceLROnPlateauArgs } from './reduce-lr-on-plateau.js';
export { TerminateOnNaN } from './terminate-on-nan.js';
export type { MonitorMode } from './monitor.js';

export const callbacks = {
  earlyStopping: (args: EarlyStoppingArgs = {}) => new EarlyStopping(args),
  modelCheckpoint: (target: string | ((artifacts: ModelArtifacts) => Promise<void> | void), args: ModelCheckpointArgs = {}) => new ModelCheckpoint(target, args),
  reduceLROnPlateau: (args: ReduceLROnPlateauArgs = {}) => new ReduceLROnPlateau(args),
  learningRateScheduler: (schedule: (epoch: number, learningRate: number) => number) => new LearningRateScheduler(schedule),
  terminateOnNaN: () => new TerminateOnNaN(),
};
