/**
 * The Node entry point: the core plus the file system (model directories, MNIST files).
 * Resolved for `import 'wasmnn'` under Node through the package's exports map.
 */
import { registerFileSystem } from './model/handlers.js';
import { loadArtifactsFromDirectory, saveArtifactsToDirectory } from './model/io-node.js';

registerFileSystem({ save: saveArtifactsToDirectory, load: loadArtifactsFromDirectory });

export * from './index.js';
export { loadMnist, type LoadMnistOptions } from './data/mnist-node.js';
