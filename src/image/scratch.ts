// Reusable temporary arrays for the image pipeline. Every request allocates a few dozen
// working arrays; a typed array over 64 bytes gets its own off-heap backing store, and
// for a 28x28 drawing those allocations cost about as much as the passes over the
// pixels. The pipeline is synchronous, so one array per name can be reused across calls.
// Rules: a scratch array never leaves the function that took it (results are fresh
// arrays; it may be passed down to the functions it calls, and the one exception,
// analyzeImageTransient, says so), and each name is used by one function only (so nested
// calls cannot collide).

/** Above this many elements arrays are not kept (a huge image should not pin its memory). */
const MAX_KEPT = 512 * 512;

type Ctor<T> = new (n: number) => T;

function pool<T extends Float32Array | Float64Array | Int32Array | Uint8Array>(ctor: Ctor<T>): (name: string, n: number, zero?: boolean) => T {
  const kept = new Map<string, T>();
  return (name, n, zero = false) => {
    if (n > MAX_KEPT) return new ctor(n);
    let a = kept.get(name);
    if (a === undefined || a.length < n) {
      a = new ctor(Math.min(MAX_KEPT, Math.max(n, 2 * (a?.length ?? 0))));
      kept.set(name, a);
      zero = false; // fresh arrays are zeroed
    }
    const view = a.length === n ? a : (a.subarray(0, n) as T);
    if (zero) view.fill(0);
    return view;
  };
}

/** scratchX(name, n, zero?): an array of exactly n elements; its contents are left over from the last use unless `zero`. */
export const scratchF32 = pool(Float32Array);
export const scratchF64 = pool(Float64Array);
export const scratchI32 = pool(Int32Array);
export const scratchU8 = pool(Uint8Array);
