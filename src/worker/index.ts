/**
 * wasmnn/worker: train and run a model in a Web Worker from a page, without writing worker
 * plumbing. A separate entry point, so apps that do not use it do not bundle it.
 */
export { WorkerModel, type WorkerModelOptions, type WorkerFitArgs, type WorkerCallbacks, type WorkerLike, type TransferOption } from './worker-model.js';
