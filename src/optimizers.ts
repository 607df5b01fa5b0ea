// The public optimizer API. Each optimizer lives in its own file under optimizers/ and
// registers its TF.js class names there; this barrel names the factories users call.
import { adagrad } from './optimizers/adagrad.js';
import { adam, adamw } from './optimizers/adam.js';
import { adamax } from './optimizers/adamax.js';
import { nadam } from './optimizers/nadam.js';
import type { Optimizer } from './optimizers/optimizer.js';
import { rmsprop } from './optimizers/rmsprop.js';
import { sgd } from './optimizers/sgd.js';

export { adam, adamw, type AdamArgs } from './optimizers/adam.js';
export { sgd, type SgdArgs } from './optimizers/sgd.js';
export { optimizerFromTfjs, registerTfjsOptimizer, type Optimizer, type ParamRun, type TfjsOptimizerConfig } from './optimizers/optimizer.js';
export { rmsprop, type RmspropArgs } from './optimizers/rmsprop.js';
export { adagrad, type AdagradArgs } from './optimizers/adagrad.js';
export { adamax, type AdamaxArgs } from './optimizers/adamax.js';
export { nadam, type NadamArgs } from './optimizers/nadam.js';
export { makeOptimizer, type OptimizerArgs, type LearningRateSchedule, type UpdateRule } from './optimizers/optimizer.js';

/** Keras-style optimizer factories: `optimizers.adam({ learningRate: 1e-3 })`. */
export const optimizers = { sgd, adam, adamw, rmsprop, adagrad, adamax, nadam };

/** An optimizer by name with its defaults, as `compile({ optimizer: 'adam' })` takes it. */
export type OptimizerName = keyof typeof optimizers;

export function optimizerFromName(name: string): Optimizer {
  const key = name.toLowerCase();
  if (!Object.hasOwn(optimizers, key)) throw new Error(`compile: unknown optimizer '${name}'; use one of ${Object.keys(optimizers).join(', ')} or an optimizer object`);
  return optimizers[key as OptimizerName]();
}
