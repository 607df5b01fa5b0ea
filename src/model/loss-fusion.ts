import type { Layer } from '../layers/layer.js';
import type { Loss, LossFusion } from '../losses.js';

export type { LossFusion };

/**
 * The one place that decides the fusion, from the last layer's declared output activation and
 * the loss: softmax + (sparse) categorical cross-entropy, sigmoid + binary cross-entropy, both
 * on probabilities (a loss fromLogits expects no activation to fuse with).
 */
export function decideLossFusion(layers: readonly Layer[], loss: Loss): LossFusion {
  const activation = layers[layers.length - 1]?.outputActivation;
  if (loss.fromLogits) return 'none';
  if (activation === 'softmax' && (loss.name === 'categoricalCrossentropy' || loss.name === 'sparseCategoricalCrossentropy')) return 'softmax';
  if (activation === 'sigmoid' && loss.name === 'binaryCrossentropy') return 'sigmoid';
  return 'none';
}

/** Tells the layers which of them receives a pre-activation gradient. */
export function applyLossFusion(layers: readonly Layer[], fusion: LossFusion): void {
  for (const l of layers) l.lossGivesPreActivationGrad = false;
  if (fusion !== 'none') layers[layers.length - 1]!.lossGivesPreActivationGrad = true;
}
