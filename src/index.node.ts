/**
 * The Node entry point: the core plus the file system (model directories, MNIST files) and
 * worker threads for the WASM backend. Resolved for `import 'wasmnn'` under Node through the
 * package's exports map.
 */
import { availableParallelism } from 'node:os';
import { registerWorkerSpawner } from './kernels/index.js';
import { spawnNodeWorker } from './kernels/wasm/threads-node.js';
import { registerFileSystem } from './model/handlers.js';
import { loadArtifactsFromDirectory, saveArtifactsToDirectory } from './model/io-node.js';

registerFileSystem({ save: saveArtifactsToDirectory, load: loadArtifactsFromDirectory });
// The WASM backend splits big GEMMs between the main thread and one worker (never more than 2 threads).
registerWorkerSpawner(spawnNodeWorker, Math.min(2, availableParallelism()));

export * from './index.js';
// The Node loadPretrained reads the package's files; it replaces the core's fetch-based one.
export { defaultModelDir as pretrainedModelDir, loadPretrained } from './pretrained.js';
export { loadMnist, type LoadMnistOptions } from './data/mnist-node.js';
export { saveWeights, loadWeights } from './model/safetensors-node.js';
