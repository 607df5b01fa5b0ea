// Moving models between wasmnn and the real TF.js 4.22 in memory (model.json + one weight buffer).
import * as tf from '@tensorflow/tfjs';
import type { ModelJson, Tensor } from '../../src/index.js';

export interface SavedModel {
  modelJson: ModelJson;
  weightData: Uint8Array;
}

/** What TF.js's model.save writes, as a wasmnn-loadable model.json and its weights. */
export async function tfjsArtifacts(model: tf.LayersModel): Promise<SavedModel> {
  let a: tf.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (artifacts) => ((a = artifacts), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
  const modelJson = { modelTopology: a!.modelTopology, weightsManifest: [{ paths: ['weights.bin'], weights: a!.weightSpecs! }] } as unknown as ModelJson;
  return { modelJson, weightData: new Uint8Array(a!.weightData as ArrayBuffer) };
}

/** Loads a model wasmnn saved with TF.js's own loader. */
export function tfjsLoad(saved: SavedModel): Promise<tf.LayersModel> {
  const specs = saved.modelJson.weightsManifest.flatMap((g) => g.weights) as tf.io.WeightsManifestEntry[];
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: saved.modelJson.modelTopology as tf.io.ModelArtifacts['modelTopology'], weightSpecs: specs, weightData: saved.weightData.slice().buffer }));
}

export function tfPredict(model: tf.LayersModel, input: Tensor): Float32Array {
  return tf.tidy(() => (model.predict(tf.tensor(input.data, [...input.shape])) as tf.Tensor).dataSync() as Float32Array);
}
