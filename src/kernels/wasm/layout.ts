import type { Ptr } from '../kernels.js';
import { CONTROL_BYTES } from './control.js';

/** Bytes of one WebAssembly page. */
export const PAGE_BYTES = 65536;
const LINE = 64;

/**
 * What the backend keeps for itself in [0, base) of linear memory:
 *
 *   [0, staticEnd)        the module's static data (math tables), placed by the compiler
 *   control block         thread dispatch (see control.ts), 256 B
 *   scratch[t]            GEMM packing buffers of thread t (t = 0 is the main thread)
 *   partial               the worker's partial product when a GEMM is split along K
 *   base ...              the arena: everything a MemoryPlan places
 */
export interface ArenaLayout {
  control: number;
  scratch: number[];
  partial: number;
  partialFloats: number;
  base: Ptr;
}

/** Largest m·n a K-split GEMM may produce in the partial buffer (only skinny products use it). */
export const PARTIAL_FLOATS = 65536;

export function planLayout(staticEnd: number, scratchBytes: number, threads: number): ArenaLayout {
  let at = alignUp(staticEnd, LINE);
  const control = at;
  at += CONTROL_BYTES;
  const scratch: number[] = [];
  for (let t = 0; t < threads; t++) {
    at = alignUp(at, LINE);
    scratch.push(at);
    at += scratchBytes;
  }
  at = alignUp(at, LINE);
  const partial = at;
  const partialFloats = threads > 1 ? PARTIAL_FLOATS : 0;
  at += partialFloats * 4;
  return { control, scratch, partial, partialFloats, base: alignUp(at, LINE) / 4 };
}

function alignUp(x: number, to: number): number {
  return Math.ceil(x / to) * to;
}
