/**
 * Relaxed SIMD (fused multiply-add: 20–30% faster kernels here) is still behind a V8 flag in
 * Node 20. The library never sets V8 flags; the CLI turns this one on for its own process by
 * default, unless `--no-relaxed-simd` or WASMNN_RELAXED_SIMD=0. The flag must be set before
 * the first WebAssembly module is compiled, so the CLI calls this before any backend exists.
 */
export function relaxedSimdRequested(flag: boolean | undefined): boolean {
  if (flag !== undefined) return flag;
  return process.env['WASMNN_RELAXED_SIMD'] !== '0';
}

export async function enableRelaxedSimd(): Promise<void> {
  const v8 = await import('node:v8');
  v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
}
