/**
 * The browser's way to start the GEMM worker: a module Worker created from a URL relative to
 * this module, the form bundlers (Vite, webpack, Parcel) recognise and copy, and that works
 * unbundled from a `<script type=module>`. Only cross-origin-isolated pages can share WASM
 * memory with a worker; elsewhere the backend stays on one thread (see browserThreads).
 */
import * as C from './control.js';
import type { WorkerHandle } from './worker-link.js';
import type { WasmWorkerData } from './worker-loop.js';

export function spawnBrowserWorker(data: WasmWorkerData): WorkerHandle {
  const worker = new Worker(new URL('./gemm-worker-browser.js', import.meta.url), { type: 'module', name: 'wasmnn-gemm' });
  // A worker that cannot load or dies stops taking jobs: main sees the status and computes alone.
  worker.addEventListener('error', () => {
    const ctl = new Int32Array(data.memory.buffer, data.control, C.CONTROL_INTS);
    Atomics.store(ctl, C.STATUS, C.WORKER_FAILED);
  });
  worker.postMessage(data);
  return worker;
}

/**
 * Threads the WASM backend uses by default in this browser context: 2 when the page is
 * cross-origin isolated (COOP same-origin + COEP require-corp) and has 2+ cores, else 1. Not
 * a browser page or worker context (Node): 0, meaning "not for this environment".
 */
export function browserThreads(): number {
  const g = globalThis as { Worker?: unknown; crossOriginIsolated?: boolean; navigator?: { hardwareConcurrency?: number }; process?: { versions?: { node?: string } } };
  if (typeof g.Worker !== 'function' || g.process?.versions?.node !== undefined) return 0;
  if (g.crossOriginIsolated !== true) return 1;
  return Math.min(2, g.navigator?.hardwareConcurrency ?? 1);
}
