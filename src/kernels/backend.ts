import type { Kernels, Ptr } from './kernels.js';

export type BackendName = 'js' | 'wasm';

/**
 * A backend owns one arena (a flat, growable memory) and computes kernels on it.
 * Models place every tensor in the arena once (see ../memory-plan.ts), so a
 * training step allocates nothing.
 */
export interface Backend extends Kernels {
  readonly name: BackendName;
  /** Worker threads sharing the arena (1 = main thread only). */
  readonly threads: number;
  /** First arena element a memory plan may use; the backend keeps [0, base) for itself. */
  readonly base: Ptr;
  /**
   * Makes [base, end) usable, keeping the current contents. Growth detaches earlier views,
   * so fetch f32()/i32() again after calling this.
   */
  reserve(end: Ptr): void;
  /** Float32 view over the whole arena (valid until the next reserve). */
  f32(): Float32Array;
  /** Int32 view over the same bytes. */
  i32(): Int32Array;
  /** Releases worker threads; the backend must not be used afterwards. */
  dispose(): void;
}
