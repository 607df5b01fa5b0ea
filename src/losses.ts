import type { Backend } from './kernels/backend.js';
import type { Ptr } from './kernels/kernels.js';

export type LossName = 'categoricalCrossentropy' | 'sparseCategoricalCrossentropy' | 'meanSquaredError';
export const lossNames: readonly LossName[] = ['categoricalCrossentropy', 'sparseCategoricalCrossentropy', 'meanSquaredError'];

/** Keras' snake_case names, as model files store them; compile accepts them too. */
export type KerasLossName = 'categorical_crossentropy' | 'sparse_categorical_crossentropy' | 'mean_squared_error';

export function checkLoss(name: unknown): LossName {
  if (typeof name === 'string' && (lossNames as readonly string[]).includes(name)) return name as LossName;
  const fromKeras = Object.entries(lossKerasNames).find(([, keras]) => keras === name);
  if (fromKeras) return fromKeras[0] as LossName;
  throw new Error(`compile: unsupported loss '${String(name)}'; supported: ${lossNames.join(', ')}`);
}

/** Keras' snake_case name, as stored in model files. */
export const lossKerasNames: Record<LossName, KerasLossName> = {
  categoricalCrossentropy: 'categorical_crossentropy',
  sparseCategoricalCrossentropy: 'sparse_categorical_crossentropy',
  meanSquaredError: 'mean_squared_error',
};

/**
 * How the loss meets the model's last layer (decided in model/loss-fusion.ts). 'softmax': the last
 * layer ends in a softmax and the loss is a cross-entropy, so the loss kernel hands that layer
 * dLoss/dlogits = (p − t)/rows and the layer skips the softmax's own Jacobian (cheaper and better
 * conditioned). 'none': the loss hands dLoss/doutput and every layer differentiates its own
 * activation.
 */
export type LossFusion = 'softmax' | 'none';

/**
 * Mean loss of predictions p against targets t (both rows×cols, targets one-hot for the
 * cross-entropies), writing dLoss/dp — or dLoss/dlogits under softmax fusion — to grad.
 */
export function lossForwardBackward(b: Backend, loss: LossName, fusion: LossFusion, p: Ptr, t: Ptr, grad: Ptr, rows: number, cols: number): number {
  if (loss === 'meanSquaredError') return b.meanSquaredError(p, t, grad, rows, cols);
  return fusion === 'softmax' ? b.softmaxCrossEntropy(p, t, grad, rows, cols) : b.crossEntropy(p, t, grad, rows, cols);
}
