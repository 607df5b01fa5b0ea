/**
 * Opt-in for WebAssembly relaxed SIMD, still behind a flag in Node 20. The flag must
 * be set before the first WebAssembly module is compiled, so the CLI calls this
 * before any backend exists. The library itself never sets V8 flags.
 */
export function relaxedSimdRequested(flag: boolean | undefined): boolean {
  return flag === true || process.env['WASMNN_RELAXED_SIMD'] === '1';
}

export async function enableRelaxedSimd(): Promise<void> {
  const v8 = await import('node:v8');
  v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
}
