import type { Backend, BackendName } from '../kernels/backend.js';
import { loadHandler } from './handlers.js';
import { isModelFiles, loadArtifactsFromFiles, type ModelFiles } from './io-files.js';
import { Sequential, type TrainingState } from './sequential.js';
import { layersFromTopology } from './topology.js';
import { checkModelJson, decodeOptimizerWeights, decodeWeights, type ModelJson } from './weights-format.js';
import { checkLoss } from '../losses.js';
import { optimizerFromTfjs } from '../optimizers.js';
import { metricsFromConfig } from './metrics.js';

export interface LoadOptions {
  backend?: BackendName | Backend;
  seed?: number;
}

/**
 * What loadModel reads: a location — an http(s) URL of a model.json, indexeddb://NAME,
 * localstorage://NAME (browser), a directory, model.json path or file:// URL (Node) — the files
 * a user picked (File objects or a FileList: model.json and its weight files), or the artifacts
 * themselves.
 */
export type ModelSource = string | URL | ModelFiles | { modelJson: unknown; weightData: Uint8Array | Uint8Array[] };

/**
 * Loads a TF.js LayersModel (saved by wasmnn, TF.js, or converted from Keras). Every part is
 * validated: an unsupported layer, a weight of the wrong shape or a short shard is an error
 * naming it, never a silently wrong model.
 */
export async function loadModel(source: ModelSource, options: LoadOptions = {}): Promise<Sequential> {
  const location = source instanceof URL ? source.href : source;
  const { modelJson, shards } =
    typeof location === 'string'
      ? await loadHandler(location)(location)
      : isModelFiles(location)
      ? await loadArtifactsFromFiles(location)
      : { modelJson: location.modelJson, shards: Array.isArray(location.weightData) ? location.weightData : [location.weightData] };
  const checked = checkModelJson(modelJson);
  const { name, layers } = layersFromTopology(checked.modelTopology);
  const model = new Sequential(layers, { name, ...options });
  const weights = decodeWeights(checked, shards);
  // Shapes first, memory after: a model.json that disagrees with its weights (or is absurdly
  // large) fails here, before parameters, gradients and optimizer slots are allocated.
  model.checkWeights(weights, 'loadModel');
  await model.build();
  model.setWeights(weights);
  compileFromTrainingConfig(model, checked.trainingConfig);
  restoreTrainingState(model, checked, shards);
  return model;
}

/**
 * Training state saved by wasmnn (`save(…, { includeOptimizer: true })`): the optimizer's slots
 * and step count, the generator's state and the epochs completed, so fit({ initialEpoch:
 * model.epochsCompleted }) continues the run. Optimizer weights saved by TF.js are skipped, as
 * TF.js's own loader does for an inference model.
 */
function restoreTrainingState(model: Sequential, modelJson: ModelJson, shards: Uint8Array[]): void {
  const metadata = modelJson['userDefinedMetadata'] as { wasmnn?: unknown } | undefined;
  if (metadata?.wasmnn === undefined) return;
  const state = metadata.wasmnn as Partial<TrainingState>;
  const random = state.random;
  const epochs = state.epochsCompleted;
  if (!Array.isArray(random) || typeof epochs !== 'number' || !Number.isInteger(epochs) || epochs < 0) {
    throw new Error(`model.json: userDefinedMetadata.wasmnn must hold { random: [4 words], epochsCompleted: integer ≥ 0 }, got ${JSON.stringify(metadata.wasmnn).slice(0, 200)}`);
  }
  if (!model.trainingConfig()) {
    throw new Error('model.json holds wasmnn training state but no optimizer wasmnn can rebuild (trainingConfig.optimizer_config): cannot resume its training');
  }
  model.setOptimizerWeights(decodeOptimizerWeights(modelJson, shards), { random, epochsCompleted: epochs });
}

/** Compiles the model as it was when saved (as Keras and TF.js do), when its trainingConfig is one wasmnn knows. */
function compileFromTrainingConfig(model: Sequential, trainingConfig: unknown): void {
  if (typeof trainingConfig !== 'object' || trainingConfig === null) return;
  const tc = trainingConfig as { loss?: unknown; metrics?: unknown; optimizer_config?: unknown };
  const optimizer = optimizerFromTfjs(tc.optimizer_config);
  if (!optimizer) return;
  let loss;
  try {
    loss = checkLoss(tc.loss);
  } catch {
    return;
  }
  model.compile({ optimizer, loss, metrics: metricsFromConfig(tc.metrics) });
}
