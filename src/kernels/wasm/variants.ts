import { decodeBase64 } from './base64.js';

/** SIMD level of a kernel build, fastest first. */
export type WasmVariant = 'relaxed' | 'simd' | 'scalar';
export const VARIANTS: readonly WasmVariant[] = ['relaxed', 'simd', 'scalar'];

/**
 * Each build is its own module, imported only when it is compiled, so an app (or a bundle's
 * chunks) loads the one build its engine runs, not all six. The import paths are literal so
 * bundlers see them.
 */
const builds: Record<WasmVariant, { private: () => Promise<{ deflated: string }>; shared: () => Promise<{ deflated: string }> }> = {
  relaxed: { private: () => import('./builds/relaxed.generated.js'), shared: () => import('./builds/relaxedShared.generated.js') },
  simd: { private: () => import('./builds/simd.generated.js'), shared: () => import('./builds/simdShared.generated.js') },
  scalar: { private: () => import('./builds/scalar.generated.js'), shared: () => import('./builds/scalarShared.generated.js') },
};

/**
 * Feature probes: the smallest modules that use what each build needs, so choosing a build does
 * not need its bytes. test/kernels-wasm.test.ts checks each probe agrees with validating the
 * real build. Layout: magic, version, then a type section `() -> v128`, one function and its body.
 */
const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
const V128_FUNCTION = [0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, 0x03, 0x02, 0x01, 0x00];
const PROBES: Record<'simd' | 'relaxed' | 'sharedMemory', number[]> = {
  // i32.const 0; i8x16.splat
  simd: [...HEADER, ...V128_FUNCTION, 0x0a, 0x08, 0x01, 0x06, 0x00, 0x41, 0x00, 0xfd, 0x0f, 0x0b],
  // two i8x16.splat, then i8x16.relaxed_swizzle (0xfd 0x100)
  relaxed: [...HEADER, ...V128_FUNCTION, 0x0a, 0x0f, 0x01, 0x0d, 0x00, 0x41, 0x00, 0xfd, 0x0f, 0x41, 0x00, 0xfd, 0x0f, 0xfd, 0x80, 0x02, 0x0b],
  // (import "env" "memory" (memory 1 1 shared))
  sharedMemory: [...HEADER, 0x02, 0x10, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x06, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 0x02, 0x03, 0x01, 0x01],
};

const probed = new Map<string, boolean>();
function probe(feature: keyof typeof PROBES | 'wasm'): boolean {
  let ok = probed.get(feature);
  if (ok === undefined) {
    ok = typeof WebAssembly === 'object' && typeof WebAssembly.validate === 'function' && WebAssembly.validate(new Uint8Array(feature === 'wasm' ? HEADER : PROBES[feature]));
    probed.set(feature, ok);
  }
  return ok;
}

/**
 * Whether this engine accepts a build. Relaxed SIMD needs, in Node 20, the V8 flag
 * --experimental-wasm-relaxed-simd set before this call; the loader never sets flags itself.
 */
export function variantSupported(variant: WasmVariant, shared = false): boolean {
  const features = variant === 'relaxed' ? probe('simd') && probe('relaxed') : variant === 'simd' ? probe('simd') : probe('wasm');
  return features && (!shared || probe('sharedMemory'));
}

/** The variants this engine accepts, fastest first. */
export function supportedVariants(): WasmVariant[] {
  return VARIANTS.filter((v) => variantSupported(v));
}

/** The .wasm bytes of one build (shared = imports a shared memory, for worker threads). */
export async function variantBytes(variant: WasmVariant, shared: boolean): Promise<Uint8Array<ArrayBuffer>> {
  return inflateRaw(decodeBase64((await builds[variant][shared ? 'shared' : 'private']()).deflated));
}

/** Unpacks raw DEFLATE with the engine's DecompressionStream (browsers since 2023, Node ≥ 18): no inflater in the bundle. */
async function inflateRaw(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  if (typeof DecompressionStream !== 'function') {
    throw new Error("this JavaScript engine has no DecompressionStream, which unpacks wasmnn's WASM kernels; use the JS backend ({ backend: 'js' })");
  }
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

const compiled = new Map<string, Promise<WebAssembly.Module>>();

/** Compiles a build once per process (async: browsers forbid synchronous compiles of big modules). */
export function compileVariant(variant: WasmVariant, shared: boolean): Promise<WebAssembly.Module> {
  const key = `${variant}/${shared ? 'shared' : 'private'}`;
  let module = compiled.get(key);
  if (!module) {
    module = variantBytes(variant, shared).then((bytes) => WebAssembly.compile(bytes));
    compiled.set(key, module);
    module.catch(() => compiled.delete(key));
  }
  return module;
}
