/**
 * The control block through which the main thread shares a GEMM with its worker: 64 int32 in
 * shared linear memory, each side writing its own 64-byte line (no false sharing).
 *
 * Protocol (one job in flight): main writes the job (JOB, encoded by jobs.ts), resets NEXT, sets
 * STATE posted, bumps SEQ and notifies. The worker, spinning briefly on SEQ and then sleeping
 * in Atomics.wait, claims the job by CAS posted → taken; both threads then take chunks with
 * Atomics.add(NEXT) until none are left, and the worker stores done. When main runs out of
 * chunks it tries CAS posted → idle: success means the worker never started (main did it all);
 * otherwise it waits for done, at most one chunk.
 */
export const CONTROL_INTS = 80;
export const CONTROL_BYTES = CONTROL_INTS * 4;

// Line 0: written by main.
/** Bumped by main to wake the worker (new job or stop). */
export const SEQ = 0;
/** Set to 1 by main to make the worker leave its loop. */
export const STOP = 1;
// Line 1: updated atomically by both threads.
/** Job state: one of JOB_*. */
export const STATE = 16;
/** Index of the next chunk to take. */
export const NEXT = 17;
/** Stored in NEXT to end a job early: no chunk index is that large. */
export const NO_MORE_CHUNKS = 1 << 30;
// Line 2: written by the worker.
/** Worker status: one of WORKER_*. */
export const STATUS = 32;
/** Chunks the worker has computed so far (a diagnostic: is the second core helping?). */
export const WORKER_CHUNKS = 33;
// Lines 3–4: written by main: the job (jobs.ts encodeJob, JOB_INTS ints).
export const JOB = 48;

export const JOB_IDLE = 0;
export const JOB_POSTED = 1;
export const JOB_TAKEN = 2;
export const JOB_DONE = 3;
/** A chunk trapped in the worker (e.g. a pointer out of bounds); main reports it. */
export const JOB_FAILED = 4;

export const WORKER_STARTING = 0;
export const WORKER_READY = 1;
export const WORKER_STOPPED = 2;
export const WORKER_FAILED = 3;
/** Idle and asleep in Atomics.wait: waking it costs far more than reaching a spinning worker, worth it for big products only. */
export const WORKER_SLEEPING = 4;
