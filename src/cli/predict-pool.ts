/**
 * Reads many files on several threads: each worker loads the model once and recognises the files
 * it is sent (decode, preprocessing and a one-image classification are all per-file work that
 * one thread cannot share; the WASM backend's own second thread only helps large products).
 * With one job the files are read on the main thread, without workers.
 */
import type { Worker } from 'node:worker_threads';
import { loadModel } from '../index.node.js';
import { startNodeWorker } from '../kernels/wasm/threads-node.js';
import { modelClassifier } from '../recognizer/prediction.js';
import { CliError } from './options.js';
import { predictFile, type FileOutcome } from './predict-file.js';

export interface PoolOptions {
  modelDir: string;
  backend?: 'wasm' | 'js';
  multi: boolean;
  jobs: number;
}

export interface WorkerSetup {
  modelDir: string;
  backend?: 'wasm' | 'js';
  multi: boolean;
}

export type WorkerRequest = { id: number; file: string };
export type WorkerReply = { id: number; outcome: FileOutcome } | { fatal: string };

export interface Predictor {
  predict(file: string): Promise<FileOutcome>;
  close(): Promise<void>;
}

export async function startPredictor(o: PoolOptions): Promise<Predictor> {
  return o.jobs <= 1 ? inProcess(o) : workers(o);
}

async function inProcess(o: PoolOptions): Promise<Predictor> {
  const model = await loadModel(o.modelDir, o.backend ? { backend: o.backend } : {}).catch((err: Error) => {
    throw new CliError(`cannot load model: ${err.message}`, { cause: err });
  });
  const classify = modelClassifier(model);
  return { predict: (file) => predictFile(file, classify, o.multi), close: async () => model.dispose() };
}

interface Thread {
  worker: Worker;
  pending: Map<number, (outcome: FileOutcome) => void>;
}

async function workers(o: PoolOptions): Promise<Predictor> {
  const setup: WorkerSetup = { modelDir: o.modelDir, multi: o.multi, ...(o.backend ? { backend: o.backend } : {}) };
  let nextId = 0;
  let failure: Error | null = null;
  const threads: Thread[] = [];
  const ready: Promise<void>[] = [];
  for (let k = 0; k < o.jobs; k++) {
    const t: Thread = { worker: startNodeWorker(import.meta.url, './predict-worker', { workerData: setup }), pending: new Map() };
    threads.push(t);
    ready.push(
      new Promise<void>((resolve, reject) => {
        t.worker.once('message', (m: WorkerReply | 'ready') => (m === 'ready' ? resolve() : reject(new CliError(`cannot load model: ${(m as { fatal: string }).fatal}`))));
        t.worker.once('error', reject);
      }),
    );
    t.worker.on('message', (m: WorkerReply | 'ready') => {
      if (m === 'ready' || 'fatal' in m) return;
      const done = t.pending.get(m.id);
      t.pending.delete(m.id);
      done?.(m.outcome);
    });
    t.worker.on('error', (err) => {
      failure = err;
      for (const done of t.pending.values()) done({ error: `worker failed: ${err.message}` });
      t.pending.clear();
    });
  }
  try {
    await Promise.all(ready);
  } catch (err) {
    await Promise.all(threads.map((t) => t.worker.terminate()));
    throw err;
  }
  return {
    predict(file) {
      if (failure) return Promise.resolve({ error: `worker failed: ${(failure as Error).message}` });
      // The least busy thread: files differ in cost (a 28x28 PNG vs a 12 MP JPEG).
      const t = threads.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
      const id = nextId++;
      return new Promise<FileOutcome>((resolve) => {
        t.pending.set(id, resolve);
        t.worker.postMessage({ id, file } satisfies WorkerRequest);
      });
    },
    async close() {
      await Promise.all(threads.map((t) => t.worker.terminate()));
    },
  };
}
