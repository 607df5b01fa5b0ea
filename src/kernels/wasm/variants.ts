import * as bytes from './bytes.generated.js';
import { decodeBase64 } from './base64.js';

/** SIMD level of a kernel build, fastest first. */
export type WasmVariant = 'relaxed' | 'simd' | 'scalar';
export const VARIANTS: readonly WasmVariant[] = ['relaxed', 'simd', 'scalar'];

const encoded: Record<WasmVariant, { private: string; shared: string }> = {
  relaxed: { private: bytes.relaxed, shared: bytes.relaxedShared },
  simd: { private: bytes.simd, shared: bytes.simdShared },
  scalar: { private: bytes.scalar, shared: bytes.scalarShared },
};

const decoded = new Map<string, Uint8Array<ArrayBuffer>>();
const compiled = new Map<string, Promise<WebAssembly.Module>>();

/** The .wasm bytes of one build (shared = imports a shared memory, for worker threads). */
export function variantBytes(variant: WasmVariant, shared: boolean): Uint8Array<ArrayBuffer> {
  const key = `${variant}/${shared ? 'shared' : 'private'}`;
  let out = decoded.get(key);
  if (!out) {
    out = decodeBase64(encoded[variant][shared ? 'shared' : 'private']);
    decoded.set(key, out);
  }
  return out;
}

/**
 * Whether this engine accepts a build. Relaxed SIMD needs, in Node 20, the V8 flag
 * --experimental-wasm-relaxed-simd set before this call; the loader never sets flags itself.
 */
export function variantSupported(variant: WasmVariant, shared = false): boolean {
  if (typeof WebAssembly !== 'object' || typeof WebAssembly.validate !== 'function') return false;
  try {
    return WebAssembly.validate(variantBytes(variant, shared));
  } catch {
    return false;
  }
}

/** The variants this engine accepts, fastest first. */
export function supportedVariants(): WasmVariant[] {
  return VARIANTS.filter((v) => variantSupported(v));
}

/** Compiles a build once per process (async: browsers forbid synchronous compiles of big modules). */
export function compileVariant(variant: WasmVariant, shared: boolean): Promise<WebAssembly.Module> {
  const key = `${variant}/${shared ? 'shared' : 'private'}`;
  let module = compiled.get(key);
  if (!module) {
    module = WebAssembly.compile(variantBytes(variant, shared));
    compiled.set(key, module);
    module.catch(() => compiled.delete(key));
  }
  return module;
}
