import type { Layer } from '../layers/layer.js';
import type { LossFusion, LossName } from '../losses.js';

export type { LossFusion };

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
