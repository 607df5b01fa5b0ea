/** A `wasmnn predict` worker (see predict-pool.ts): loads the model, then recognises each file it is sent. */
import { parentPort, workerData } from 'node:worker_threads';
import { createBackend, loadModel } from '../index.node.js';
import { modelClassifier } from '../recognizer/prediction.js';
import { predictFile } from './predict-file.js';
import type { WorkerReply, WorkerRequest, WorkerSetup } from './predict-pool.js';

const setup = workerData as WorkerSetup;
try {
  // One thread per worker: the workers are the parallelism.
  const backend = await createBackend(setup.backend ?? 'auto', { threads: 1 });
  const classify = modelClassifier(await loadModel(setup.modelDir, { backend }));
  parentPort!.on('message', ({ id, file }: WorkerRequest) => {
    void predictFile(file, classify, setup.multi).then((outcome) => parentPort!.postMessage({ id, outcome } satisfies WorkerReply));
  });
  parentPort!.postMessage('ready');
} catch (err) {
  parentPort!.postMessage({ fatal: err instanceof Error ? err.message : String(err) } satisfies WorkerReply);
}
