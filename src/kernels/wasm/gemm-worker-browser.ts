/**
 * Entry point of the browser GEMM worker (a module Worker started by threads-browser.ts): the
 * first message carries the WasmWorkerData (the compiled Module and the shared Memory clone
 * into workers); from then on the worker blocks in runGemmWorker's loop.
 */
import { runGemmWorker, type WasmWorkerData } from './worker-loop.js';

addEventListener('message', (event: MessageEvent<WasmWorkerData>) => void runGemmWorker(event.data), { once: true });
