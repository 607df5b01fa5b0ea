/**
 * The module a WorkerModel starts as its worker (`new Worker(new URL('./model-worker.js',
 * import.meta.url), { type: 'module' })`): one model, driven by the page's messages.
 */
import { modelHost } from './model-host.js';
import type { Request } from './protocol.js';

interface WorkerScope {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<Request>) => void): void;
}

const scope = globalThis as unknown as WorkerScope;
const handle = modelHost((reply, transfer) => scope.postMessage(reply, transfer));
scope.addEventListener('message', (event) => void handle(event.data));
