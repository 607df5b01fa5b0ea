/**
 * Node's way to start the GEMM worker thread, kept out of the core (which must not import
 * `node:` modules):
 *
 *   import { createWasmBackend } from './index.js';
 *   import { spawnNodeWorker } from './threads-node.js';
 *   const backend = await createWasmBackend({ threads: 2, spawnWorker: spawnNodeWorker });
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';
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
  return startNodeWorker(import.meta.url, './gemm-worker-node', { workerData });
}

/**
 * A worker thread running the module `entry` (relative to `base`, without extension): the .js
 * build, or the .ts source when `base` is itself TypeScript run under tsx. Node 20 does not carry
 * tsx's loader hooks into worker threads, so then the worker registers them itself before
 * importing the .ts entry (if tsx cannot be found, the worker fails, which callers handle).
 */
export function startNodeWorker(base: string, entry: string, options: WorkerOptions = {}): Worker {
  if (!base.endsWith('.ts')) return new Worker(new URL(`${entry}.js`, base), options);
  const source = new URL(`${entry}.ts`, base).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(source)}); });`;
  return new Worker(code, { ...options, eval: true });
}
