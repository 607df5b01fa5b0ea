/** One server process: loads the model once, then answers HTTP on node:http. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createBackend, loadModel } from '../index.node.js';
import type { Backend, BackendName } from '../kernels/backend.js';
import { defaultModelDir } from '../pretrained.js';
import { createHandler, type Limits } from './routes.js';
import { modelClassifier } from '../recognizer/prediction.js';
import { closeGracefully } from './shutdown.js';
import { readModelFiles } from './static-files.js';
import { DecodePool } from './decode-pool.js';
import { WorkQueue } from './work-queue.js';

export const DEFAULT_LIMITS: Limits = {
  maxBodyBytes: 10 * 1024 * 1024,
  // 16 MP holds any phone photo; decoding it takes 64 MB of RGBA.
  maxPixels: 16_000_000,
};

export interface ServerOptions {
  /** Model directory (default: the pretrained compact CNN). */
  modelDir?: string;
  port?: number;
  /** Default 127.0.0.1 (loopback only). */
  host?: string;
  /** Backend name or instance (default: createBackend's choice). */
  backend?: BackendName | Backend;
  limits?: Partial<Limits>;
  log?: (line: string) => void;
}

export interface RunningServer {
  server: Server;
  url: string;
  port: number;
  /** Graceful stop: finishes requests in flight, then frees the model. */
  close(): Promise<void>;
}

/**
 * One compute thread per server process unless WASMNN_THREADS says otherwise: requests
 * are classified in small batches whose GEMMs are too small to split profitably, a
 * helper thread only adds hand-offs, and the cores are better spent on more server
 * processes (--workers) and the network stack.
 */
function serverBackend(name: BackendName | undefined): Promise<Backend> {
  const threads = process.env['WASMNN_THREADS'] ? {} : { threads: 1 };
  return createBackend(name ?? 'auto', threads);
}

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const dir = options.modelDir ?? defaultModelDir();
  const files = await readModelFiles(dir).catch((err: Error) => {
    throw new Error(`cannot load model: ${err.message}`, { cause: err });
  });
  const backend = typeof options.backend === 'object' ? options.backend : await serverBackend(options.backend);
  const model = await loadModel({ modelJson: files.modelJson, weightData: files.shards }, { backend });
  const decoder = new DecodePool();
  const handler = createHandler({
    classify: modelClassifier(model),
    work: new WorkQueue(),
    decoder,
    model: { ...files, dir, params: model.paramCount, backend: model.backend?.name ?? 'unknown' },
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    log,
  });
  const server = createServer({ requestTimeout: 30_000, headersTimeout: 10_000 }, handler);
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    server,
    url: `http://${host}:${address.port}`,
    port: address.port,
    async close() {
      await closeGracefully(server);
      await decoder.close();
      model.dispose();
    },
  };
}
