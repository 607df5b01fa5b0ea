import type { Backend, BackendName } from '../kernels/backend.js';
import { loadHandler } from './handlers.js';
import { Sequential } from './sequential.js';
import { layersFromTopology } from './topology.js';
import { checkModelJson, decodeWeights } from './weights-format.js';

export interface LoadOptions {
  backend?: BackendName | Backend;
  seed?: number;
}

/** What loadModel reads: a location (Node: directory, model.json path or file:// URL) or the artifacts themselves. */
export type ModelSource = string | { modelJson: unknown; weightData: Uint8Array | Uint8Array[] };

/**
 * Loads a TF.js LayersModel (saved by wasmnn, TF.js, or converted from Keras). Every part is
 * validated: an unsupported layer, a weight of the wrong shape or a short shard is an error
 * naming it, never a silently wrong model.
 */
export async function loadModel(source: ModelSource, options: LoadOptions = {}): Promise<Sequential> {
  const { modelJson, shards } =
    typeof source === 'string'
      ? await loadHandler(source)(source)
      : { modelJson: source.modelJson, shards: Array.isArray(source.weightData) ? source.weightData : [source.weightData] };
  const checked = checkModelJson(modelJson);
  const { name, layers } = layersFromTopology(checked.modelTopology);
  const model = new Sequential(layers, { name, ...options });
  const weights = decodeWeights(checked, shards);
  await model.build();
  model.setWeights(weights);
  return model;
}
