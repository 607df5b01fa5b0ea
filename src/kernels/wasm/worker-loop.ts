import * as C from './control.js';
import { instantiateKernels } from './exports.js';
import { runChunks } from './gemm-chunks.js';
import { decodeJob } from './jobs.js';

/** What a GEMM worker needs; structured-cloneable (Module and shared Memory travel to workers). */
export interface WasmWorkerData {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  /** Byte offset of the control block. */
  control: number;
  /** Byte offset of this worker's GEMM scratch. */
  scratch: number;
  /** How long the worker spins on the control block before it sleeps in Atomics.wait. */
  spinMicros: number;
}

/**
 * The worker side of the dispatch protocol (control.ts): instantiate the kernels on the shared
 * memory, then help with posted GEMMs until told to stop. Blocks the worker thread; uses only
 * web APIs, so Node worker_threads and browser Workers can both host it.
 */
export async function runGemmWorker(data: WasmWorkerData): Promise<void> {
  const ctl = new Int32Array(data.memory.buffer, data.control, C.CONTROL_INTS);
  let kernels;
  try {
    kernels = await instantiateKernels(data.module, data.memory);
  } catch (error) {
    Atomics.store(ctl, C.STATUS, C.WORKER_FAILED);
    throw error;
  }
  // Read SEQ before announcing readiness: main posts only after it sees READY.
  let seen = Atomics.load(ctl, C.SEQ);
  Atomics.store(ctl, C.STATUS, C.WORKER_READY);
  for (;;) {
    seen = waitForChange(ctl, seen, data.spinMicros);
    if (Atomics.load(ctl, C.STOP) !== 0) break;
    if (Atomics.compareExchange(ctl, C.STATE, C.JOB_POSTED, C.JOB_TAKEN) !== C.JOB_POSTED) continue; // main finished it
    const job = decodeJob(ctl, C.JOB);
    let state = C.JOB_DONE;
    try {
      Atomics.add(ctl, C.WORKER_CHUNKS, runChunks(kernels, ctl, job, data.scratch));
    } catch {
      state = C.JOB_FAILED; // main rethrows; the worker stays usable
    }
    Atomics.store(ctl, C.STATE, state);
    Atomics.notify(ctl, C.STATE, 1); // main may be asleep waiting for this chunk
  }
  Atomics.store(ctl, C.STATUS, C.WORKER_STOPPED);
}

/** Spins on SEQ for a bounded time (a wake-up from sleep costs far more than a spin), then sleeps. */
function waitForChange(ctl: Int32Array, seen: number, spinMicros: number): number {
  const deadline = performance.now() + spinMicros / 1000;
  for (let i = 1; ; i++) {
    const seq = Atomics.load(ctl, C.SEQ);
    if (seq !== seen) return seq;
    if ((i & 1023) === 0 && performance.now() > deadline) break;
  }
  Atomics.store(ctl, C.STATUS, C.WORKER_SLEEPING);
  for (;;) {
    Atomics.wait(ctl, C.SEQ, seen);
    const seq = Atomics.load(ctl, C.SEQ);
    if (seq !== seen) {
      Atomics.store(ctl, C.STATUS, C.WORKER_READY);
      return seq;
    }
  }
}
