import type { Layer } from '../layers/layer.js';
import type { LossName } from '../losses.js';

/**
 * How the loss meets the model's last layer. 'softmax': the last layer ends in a softmax and the
 * loss is a cross-entropy, so the loss kernel hands that layer dLoss/dlogits = (p − t)/rows and
 * the layer skips the softmax's own Jacobian (cheaper and better conditioned). 'none': the loss
 * hands dLoss/doutput and every layer differentiates its own activation.
 */
export type LossFusion = 'softmax' | 'none';

/** The one place that decides the fusion, from the last layer's declared output activation and the loss. */
export function decideLossFusion(layers: readonly Layer[], loss: LossName): LossFusion {
  const last = layers[layers.length - 1];
  const crossEntropy = loss === 'categoricalCrossentropy' || loss === 'sparseCategoricalCrossentropy';
  return last?.outputActivation === 'softmax' && crossEntropy ? 'softmax' : 'none';
}

/** Tells the layers which of them receives a pre-activation gradient. */
export function applyLossFusion(layers: readonly Layer[], fusion: LossFusion): void {
  for (const l of layers) l.lossGivesPreActivationGrad = false;
  if (fusion !== 'none') layers[layers.length - 1]!.lossGivesPreActivationGrad = true;
}
