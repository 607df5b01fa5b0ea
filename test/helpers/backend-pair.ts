import * as assert from 'uvu/assert';
import type { Backend } from '../../src/kernels/backend.js';
import type { Ptr } from '../../src/kernels/kernels.js';
import { MemoryPlan } from '../../src/memory-plan.js';

/**
 * Runs kernels on two backends over identical arenas and compares what they wrote:
 * the reference (JS) and the backend under test share one layout, starting at the larger base.
 */
export class BackendPair {
  private plan: MemoryPlan;
  private readonly start: Ptr;

  constructor(readonly ref: Backend, readonly test: Backend) {
    this.start = Math.max(ref.base, test.base);
    this.plan = new MemoryPlan(this.start);
  }

  /** Forgets every region (the next test case lays out its own). */
  reset(): void {
    this.plan = new MemoryPlan(this.start);
  }

  /**
   * A region of n elements in both arenas, holding `values` or, for outputs, NaN (so a kernel
   * that forgets to write is caught). `shift` moves it off the 64-byte alignment.
   */
  alloc(n: number, values?: ArrayLike<number>, shift = 0): Ptr {
    const ptr = this.plan.alloc(n + shift) + shift;
    for (const be of [this.ref, this.test]) {
      be.reserve(this.plan.end);
      const f = be.f32();
      if (values) f.set(values, ptr);
      else f.fill(NaN, ptr, ptr + n);
    }
    return ptr;
  }

  /** Runs the same call on both backends. */
  run<R>(op: (be: Backend) => R): { ref: R; test: R } {
    return { ref: op(this.ref), test: op(this.test) };
  }

  /** Asserts the float32 regions agree: max|test − ref| ≤ rel · max(|ref|) (NaN only where ref is NaN). */
  close(ptr: Ptr, n: number, what: string, rel = 1e-4): void {
    assertClose(this.test.f32().subarray(ptr, ptr + n), this.ref.f32().subarray(ptr, ptr + n), what, rel);
  }

  /** Asserts the int32 regions are identical. */
  sameInts(ptr: Ptr, n: number, what: string): void {
    const a = this.test.i32().subarray(ptr, ptr + n);
    const e = this.ref.i32().subarray(ptr, ptr + n);
    for (let i = 0; i < n; i++) {
      if (a[i] !== e[i]) assert.unreachable(`${what}[${i}]: got ${a[i]}, expected ${e[i]}`);
    }
  }

  /** Asserts the float32 regions are bit-for-bit identical. */
  same(ptr: Ptr, n: number, what: string): void {
    const a = this.test.i32().subarray(ptr, ptr + n);
    const e = this.ref.i32().subarray(ptr, ptr + n);
    for (let i = 0; i < n; i++) {
      if (a[i] !== e[i]) {
        const f = this.test.f32()[ptr + i];
        const g = this.ref.f32()[ptr + i];
        assert.unreachable(`${what}[${i}]: got ${f}, expected ${g}`);
      }
    }
  }
}

/**
 * Normwise relative comparison: a GEMM or a column sum of random signs can cancel to near 0,
 * where elementwise relative error means nothing; the error is measured against the largest
 * reference magnitude instead.
 */
export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string, rel = 1e-4): void {
  assert.is(actual.length, expected.length, `${what}: length`);
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    if (Number.isFinite(e)) scale = Math.max(scale, Math.abs(e));
  }
  const tol = rel * Math.max(scale, 1e-30);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (Number.isNaN(e) ? !Number.isNaN(a) : !(a === e || Math.abs(a - e) <= tol)) {
      assert.unreachable(`${what}[${i}]: got ${a}, expected ${e} (tolerance ${tol.toExponential(2)})`);
    }
  }
}
