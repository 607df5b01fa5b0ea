/**
 * Node's way to start the GEMM worker thread, kept out of the core (which must not import
 * `node:` modules):
 *
 *   import { createWasmBackend } from './index.js';
 *   import { spawnNodeWorker } from './threads-node.js';
 *   const backend = await createWasmBackend({ threads: 2, spawnWorker: spawnNodeWorker });
 */
import { Worker } from 'node:worker_threads';
import * as C from './control.js';
import type { WorkerHandle } from './worker-link.js';
import type { WasmWorkerData } from './worker-loop.js';

export function spawnNodeWorker(data: WasmWorkerData): WorkerHandle {
  const worker = startWorker(data);
  // An idle worker sleeps in Atomics.wait; it must not keep the process alive.
  worker.unref();
  // A worker that dies stops taking jobs: main sees the status and computes alone.
  const markFailed = (): void => {
    const ctl = new Int32Array(data.memory.buffer, data.control, C.CONTROL_INTS);
    Atomics.store(ctl, C.STATUS, C.WORKER_FAILED);
  };
  worker.on('error', markFailed);
  worker.on('exit', markFailed);
  return worker;
}

function startWorker(workerData: WasmWorkerData): Worker {
  if (!import.meta.url.endsWith('.ts')) {
    return new Worker(new URL('./gemm-worker-node.js', import.meta.url), { workerData });
  }
  // Running from TypeScript source under tsx: Node 20 does not carry tsx's loader hooks into
  // worker threads, so the worker registers them itself before importing the .ts entry.
  // (If tsx cannot be found the worker fails and the backend computes on one thread.)
  const entry = new URL('./gemm-worker-node.ts', import.meta.url).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(code, { eval: true, workerData });
}
