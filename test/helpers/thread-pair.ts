import type { Test } from 'uvu';
import type { Backend } from '../../src/kernels/backend.js';
import { createWasmBackend, type WasmBackend } from '../../src/kernels/wasm/index.js';
import { spawnNodeWorker } from '../../src/kernels/wasm/threads-node.js';

/**
 * A one-thread and a two-thread SIMD backend for the suite `s` (created before its tests, the
 * worker stopped after them): threaded kernels are checked against the one-thread result.
 */
export function oneAndTwoThreads(s: Test): () => { single: Backend; dual: WasmBackend } {
  let single: Backend | undefined;
  let dual: WasmBackend | undefined;
  s.before(async () => {
    single = await createWasmBackend({ variant: 'simd' });
    dual = await createWasmBackend({ variant: 'simd', threads: 2, spawnWorker: spawnNodeWorker });
  });
  s.after(() => {
    dual?.dispose();
  });
  return () => ({ single: single!, dual: dual! });
}
