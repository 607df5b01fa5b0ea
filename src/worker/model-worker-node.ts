/** The worker thread a WorkerModel starts under Node (worker/node.ts): one model, driven by the main thread's messages. */
import { parentPort } from 'node:worker_threads';
// The Node entry registers the file system (loadModel from a directory) and the WASM backend's threads.
import '../index.node.js';
import { modelHost } from './model-host.js';
import type { Request } from './protocol.js';

const port = parentPort!;
const handle = modelHost((reply, transfer) => port.postMessage(reply, transfer));
port.on('message', (request: Request) => void handle(request));
