import type { Ptr } from './kernels/kernels.js';

/** Every region starts on a 64-byte boundary so SIMD loads never straddle cache lines. */
const ALIGN = 16;

/**
 * A bump allocator over arena element indices: regions are placed once when a
 * model is built for a batch size, then reused by every step.
 */
export class MemoryPlan {
  private cursor: Ptr;

  constructor(start: Ptr) {
    this.cursor = align(start);
  }

  /** Reserves `size` elements and returns where they start. */
  alloc(size: number): Ptr {
    if (!Number.isInteger(size) || size < 0) throw new Error(`MemoryPlan.alloc: size must be a non-negative integer, got ${size}`);
    const ptr = this.cursor;
    this.cursor = align(ptr + size);
    return ptr;
  }

  /** One past the last element used so far. */
  get end(): Ptr {
    return this.cursor;
  }
}

function align(p: Ptr): Ptr {
  return Math.ceil(p / ALIGN) * ALIGN;
}
