/**
 * The WebAssembly backend. Core module: web APIs only (no `node:` imports), so it runs in
 * browsers too; Node passes its worker spawner in (see ./threads-node.ts).
 *
 *   const backend = await createWasmBackend();                                   // one thread
 *   const backend = await createWasmBackend({ threads: 2, spawnWorker: spawnNodeWorker }); // Node, 2 cores
 */
import { WORKER_FAILED, WORKER_READY, WORKER_SLEEPING } from './control.js';
import { instantiateKernels } from './exports.js';
import { PAGE_BYTES, planLayout } from './layout.js';
import { compileVariant, supportedVariants, variantSupported } from './variants.js';
import type { WasmVariant } from './variants.js';
import { WasmBackend } from './wasm-backend.js';
import { WorkerLink } from './worker-link.js';
import type { WorkerHandle } from './worker-link.js';
import type { WasmWorkerData } from './worker-loop.js';

export type { WasmVariant } from './variants.js';
export type { WorkerHandle } from './worker-link.js';
export type { WasmWorkerData } from './worker-loop.js';
export { runGemmWorker } from './worker-loop.js';
export { supportedVariants } from './variants.js';
export { WasmBackend } from './wasm-backend.js';

/** Starts a worker thread that calls `runGemmWorker(data)` (Node: spawnNodeWorker). */
export type SpawnWorker = (data: WasmWorkerData) => WorkerHandle;

export interface WasmBackendOptions {
  /** 1 (default) or 2: the main thread plus one GEMM worker. More is clamped to 2. */
  threads?: number;
  /** Needed for threads > 1; without it, or without shared memory, the backend uses one thread. */
  spawnWorker?: SpawnWorker;
  /** Force a build; default: the fastest the engine validates (relaxed > simd > scalar). */
  variant?: WasmVariant;
  /** How long the idle worker spins before sleeping (default 50 µs). */
  spinMicros?: number;
}

/** Largest shared memory asked for (pages); the module accepts up to 65536 (4 GiB). */
const SHARED_MAX_PAGES = 65536;
const INITIAL_PAGES = 16;
const WORKER_START_TIMEOUT_MS = 10_000;

/** Whether this engine can run the WebAssembly backend at all. */
export function wasmSupported(): boolean {
  return variantSupported('scalar');
}

/** Whether shared WebAssembly memory is available (browsers: only when cross-origin isolated). */
export function sharedMemorySupported(): boolean {
  if (typeof SharedArrayBuffer !== 'function' || typeof Atomics !== 'object') return false;
  if ((globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === false) return false;
  try {
    return new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }).buffer instanceof SharedArrayBuffer;
  } catch {
    return false;
  }
}

/**
 * Compiles (once per process) and instantiates the kernels on a fresh memory. With
 * `threads: 2` and a `spawnWorker`, the memory is shared and one worker helps with big GEMMs;
 * without shared memory (a browser page that is not cross-origin isolated) it runs on one thread.
 */
export async function createWasmBackend(options: WasmBackendOptions = {}): Promise<WasmBackend> {
  const variant = options.variant ?? supportedVariants()[0];
  if (variant === undefined) throw new Error('WebAssembly is not supported by this engine');
  if (!variantSupported(variant)) {
    throw new Error(`the '${variant}' WebAssembly build is not supported by this engine` +
      (variant === 'relaxed' ? ' (Node 20 needs v8.setFlagsFromString("--experimental-wasm-relaxed-simd") first)' : ''));
  }
  const spawn = options.spawnWorker;
  const threaded = (options.threads ?? 1) >= 2 && spawn !== undefined && sharedMemorySupported() && variantSupported(variant, true);

  const memory = threaded ? createSharedMemory() : new WebAssembly.Memory({ initial: INITIAL_PAGES });
  // false if a shared one could not be made (and in pages that are not cross-origin isolated, where SharedArrayBuffer is not even defined)
  const shared = typeof SharedArrayBuffer === 'function' && memory.buffer instanceof SharedArrayBuffer;
  const module = await compileVariant(variant, shared);
  const kernels = await instantiateKernels(module, memory);
  const layout = planLayout(kernels.staticEnd(), kernels.gemmScratchBytes(), shared ? 2 : 1);
  const need = layout.base * 4 - memory.buffer.byteLength;
  if (need > 0) memory.grow(Math.ceil(need / PAGE_BYTES));

  let link: WorkerLink | undefined;
  if (spawn !== undefined && layout.scratch.length > 1) {
    const data: WasmWorkerData = {
      module, memory, control: layout.control, scratch: layout.scratch[1]!, spinMicros: options.spinMicros ?? 50,
    };
    link = await startWorker(spawn, data, memory.buffer);
  }
  return new WasmBackend(kernels, memory, layout, variant, link);
}

function createSharedMemory(): WebAssembly.Memory {
  try {
    return new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum: SHARED_MAX_PAGES, shared: true });
  } catch {
    // Cannot reserve 4 GiB of address space: fall back to a private memory (one thread).
    return new WebAssembly.Memory({ initial: INITIAL_PAGES });
  }
}

/** Spawns the worker and waits until it has instantiated the kernels; undefined if it fails. */
async function startWorker(spawn: SpawnWorker, data: WasmWorkerData, buffer: ArrayBufferLike): Promise<WorkerLink | undefined> {
  let link: WorkerLink;
  try {
    link = new WorkerLink(buffer, data.control, spawn(data));
  } catch {
    return undefined;
  }
  const deadline = Date.now() + WORKER_START_TIMEOUT_MS;
  while (link.status !== WORKER_READY && link.status !== WORKER_SLEEPING) {
    if (link.status === WORKER_FAILED || Date.now() > deadline) {
      link.stop();
      return undefined;
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  return link;
}
