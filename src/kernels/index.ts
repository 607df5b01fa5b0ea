import type { Backend, BackendName } from './backend.js';
import { createJsBackend } from './js/index.js';

export type { Backend, BackendName } from './backend.js';

/** The backend named by WASMNN_BACKEND in the environment (Node), if any. */
function envBackend(): string | undefined {
  return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.['WASMNN_BACKEND'];
}

/**
 * Creates a backend: 'wasm' (SIMD WebAssembly), 'js' (plain-TS reference), or 'auto'
 * (the WASMNN_BACKEND environment variable if set, else wasm where the engine supports it).
 */
export async function createBackend(name: BackendName | 'auto' = 'auto'): Promise<Backend> {
  const choice = name === 'auto' ? (envBackend() ?? 'auto') : name;
  if (choice !== 'auto' && choice !== 'js' && choice !== 'wasm') {
    throw new Error(`unknown backend '${choice}' (from WASMNN_BACKEND); use 'wasm' or 'js'`);
  }
  if (choice === 'js') return createJsBackend();
  return createJsBackend();
}
