import * as C from './control.js';
import type { KernelExports } from './exports.js';
import { runChunks } from './gemm-chunks.js';
import { encodeJob, type Job } from './jobs.js';

/** What a worker spawner returns: enough to shut the worker down. */
export interface WorkerHandle {
  terminate(): unknown;
}

/** Spin this long for the worker's last chunk before sleeping (if this thread may block). */
const FINISH_SPIN_MS = 0.05;

/** The main thread's end of the control block (see control.ts). */
export class WorkerLink {
  private readonly ctl: Int32Array;
  /** Node's main thread may block in Atomics.wait; a browser's main thread may not. */
  private readonly canBlock = threadCanBlock();

  constructor(buffer: ArrayBufferLike, control: number, private readonly handle: WorkerHandle) {
    this.ctl = new Int32Array(buffer, control, C.CONTROL_INTS);
  }

  get status(): number {
    return Atomics.load(this.ctl, C.STATUS);
  }

  /** Chunks the worker has computed so far. */
  get workerChunks(): number {
    return Atomics.load(this.ctl, C.WORKER_CHUNKS);
  }

  /** Computes `job` (a GEMM or a convolution) with the worker's help; returns when every chunk is done. */
  run(kernels: KernelExports, job: Job, scratch: number): void {
    const ctl = this.ctl;
    encodeJob(job, ctl, C.JOB);
    Atomics.store(ctl, C.NEXT, 0);
    Atomics.store(ctl, C.STATE, C.JOB_POSTED);
    Atomics.add(ctl, C.SEQ, 1);
    Atomics.notify(ctl, C.SEQ, 1);
    try {
      runChunks(kernels, ctl, job, scratch);
    } finally {
      // Even if our chunk trapped, the worker must be done before the control block is reused.
      this.settle();
    }
  }

  /** Takes the job back if the worker never claimed it, else waits for the worker's last chunk. */
  private settle(): void {
    const ctl = this.ctl;
    Atomics.store(ctl, C.NEXT, C.NO_MORE_CHUNKS); // after a trap in ours, none for the worker either
    if (Atomics.compareExchange(ctl, C.STATE, C.JOB_POSTED, C.JOB_IDLE) === C.JOB_POSTED) return; // worker never joined
    const state = this.awaitWorker();
    Atomics.store(ctl, C.STATE, C.JOB_IDLE);
    if (state === C.JOB_FAILED) throw new RangeError('wasm gemm: the worker thread trapped (a buffer out of bounds?)');
  }

  /**
   * Waits for the worker's last chunk. Spinning briefly catches the usual case (it ends about
   * when ours did); then sleep, so that on a busy machine this thread does not hold the core
   * the worker needs to finish.
   */
  private awaitWorker(): number {
    const ctl = this.ctl;
    const deadline = performance.now() + FINISH_SPIN_MS;
    let state: number;
    for (let i = 1; (state = Atomics.load(ctl, C.STATE)) === C.JOB_TAKEN; i++) {
      if (this.canBlock && (i & 255) === 0 && performance.now() > deadline) {
        Atomics.wait(ctl, C.STATE, C.JOB_TAKEN, 1);
      }
    }
    return state;
  }

  stop(): void {
    Atomics.store(this.ctl, C.STOP, 1);
    Atomics.add(this.ctl, C.SEQ, 1);
    Atomics.notify(this.ctl, C.SEQ, 1);
    void this.handle.terminate();
  }
}

function threadCanBlock(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0); // "not-equal" at once where allowed
    return true;
  } catch {
    return false;
  }
}
