/** Entry point of the Node GEMM worker thread (spawned by threads-node.ts). */
import { workerData } from 'node:worker_threads';
import { runGemmWorker } from './worker-loop.js';
import type { WasmWorkerData } from './worker-loop.js';

await runGemmWorker(workerData as WasmWorkerData);
