import type { Layer } from '../layers/layer.js';

/**
 * Lets each layer take over the activation layer right after it when it can apply that
 * activation inside its own passes (BatchNormalization → ReLU: one pass over the activations
 * instead of two, forward and backward). The activation layer stays in the model — topology,
 * summary and saved files are as the user built them — and passes values through. The layers
 * decide (Layer.absorbFollowingActivation), so this holds no table of pairs.
 */
export function absorbActivations(layers: readonly Layer[]): void {
  for (let i = 0; i < layers.length; i++) {
    const next = layers[i + 1];
    const activation = next?.absorbableActivation ?? null;
    if (next && activation !== null) next.absorbedByPrevious = layers[i]!.absorbFollowingActivation(activation);
  }
}
