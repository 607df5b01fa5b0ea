/**
 * wasmnn/worker under Node: WorkerModel runs its model in a worker thread (node:worker_threads)
 * instead of a Web Worker, and save/load take file paths as the Node entry does.
 */
import type { Worker } from 'node:worker_threads';
import '../index.node.js';
import { startNodeWorker } from '../kernels/wasm/threads-node.js';
import { registerWorkerStarter, type WorkerLike } from './worker-model.js';

registerWorkerStarter(() => asWorkerLike(startNodeWorker(import.meta.url, './model-worker-node')));

/** A worker thread behind the Web Worker methods WorkerModel uses. */
function asWorkerLike(worker: Worker): WorkerLike {
  const on = (type: string, listener: (event: { data?: unknown; message?: string }) => void): void => {
    if (type === 'message') worker.on('message', (data: unknown) => listener({ data }));
    else if (type === 'messageerror') worker.on('messageerror', (error: Error) => listener({ message: error.message }));
    else {
      worker.on('error', (error: Error) => listener({ message: error.message }));
      // A thread that ends by itself (process.exit in a callback, say) fails the calls still waiting.
      worker.on('exit', (code: number) => listener({ message: `the worker thread exited with code ${code}` }));
    }
  };
  return {
    postMessage: (message, transfer) => worker.postMessage(message, transfer as ArrayBuffer[]),
    addEventListener: on,
    terminate: () => void worker.terminate(),
  };
}

export * from './index.js';
