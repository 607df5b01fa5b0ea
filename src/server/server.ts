/** One server process: loads the model once, then answers HTTP on node:http. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename } from 'node:path';
import { createBackend, loadModel } from '../index.node.js';
import type { Backend, BackendName } from '../kernels/backend.js';
import { defaultModelDir } from '../pretrained.js';
import type { Sequential } from '../model/sequential.js';
import { createHandler, type AppContext, type Limits, type ServedModel } from './routes.js';
import { modelClassifier } from '../recognizer/prediction.js';
import type { WorkerLink } from './cluster.js';
import { ServerMetrics } from './metrics.js';
import { observed } from './observe.js';
import { Readiness } from './readiness.js';
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
  /** Prometheus metrics at GET /metrics (default true). */
  metrics?: boolean;
  /** Receives one JSON line per request (observe.ts AccessLogEntry); default: no access log. */
  accessLog?: (line: string) => void;
  /**
   * Called as soon as the port accepts connections. The model loads after that, so a probe sees
   * /readyz answer 503 while it loads (and a busy port fails before the load, not after it).
   */
  onListening?: (url: string) => void;
  /** Set in a `--workers` worker: its link to the primary (cluster.ts). */
  worker?: WorkerLink;
}

export interface RunningServer {
  server: Server;
  url: string;
  port: number;
  /** Graceful stop: /readyz turns 503, requests in flight finish, then the model is freed. */
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

/** Listens, then loads the model; resolves once it serves predictions. */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const dir = options.modelDir ?? defaultModelDir();
  const worker = options.worker;
  const readiness = new Readiness(worker?.waitForSiblings ?? false);
  const work = new WorkQueue();
  const decoder = new DecodePool();
  const metrics =
    options.metrics === false
      ? null
      : new ServerMetrics({ workQueueDepth: () => work.pending, decodeQueueDepth: () => decoder.inFlight, ready: () => readiness.ready });
  const ctx: AppContext = {
    model: null,
    readiness,
    work,
    decoder,
    metrics: metrics && (worker ? worker.clusterMetrics(metrics.registry) : async () => ({ contentType: metrics.contentType, text: await metrics.text() })),
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    log,
  };
  const handler = observed(createHandler(ctx), { metrics, accessLog: options.accessLog ?? null, workerId: worker?.id ?? 0 });
  const server = createServer({ requestTimeout: 30_000, headersTimeout: 10_000 }, handler);
  server.keepAliveTimeout = 5_000;
  // A worker replacing one that died loads first: its siblings are serving, and the shared port
  // would hand it connections it could only answer with 503.
  const loadFirst = worker?.replacement ?? false;
  const load = async (): Promise<Sequential> => {
    const { served, model } = await loadServedModel(dir, options.backend, metrics);
    ctx.model = served;
    return model;
  };
  let model: Sequential;
  try {
    const early = loadFirst ? await load() : null;
    const url = await listen(server, options.port ?? 0, options.host ?? '127.0.0.1');
    options.onListening?.(url);
    model = early ?? (await load());
  } catch (err) {
    if (server.listening) await closeGracefully(server);
    throw err;
  }
  readiness.markModelLoaded();
  worker?.modelLoaded(() => readiness.markSiblingsReady());
  const address = server.address() as AddressInfo;
  return {
    server,
    url: urlOf(address),
    port: address.port,
    async close() {
      readiness.markStopping();
      await closeGracefully(server);
      await decoder.close();
      model.dispose();
    },
  };
}

async function loadServedModel(
  dir: string,
  backendOption: BackendName | Backend | undefined,
  metrics: ServerMetrics | null,
): Promise<{ served: ServedModel; model: Sequential }> {
  const start = performance.now();
  const files = await readModelFiles(dir).catch((err: Error) => {
    throw new Error(`cannot load model: ${err.message}`, { cause: err });
  });
  const backend = typeof backendOption === 'object' ? backendOption : await serverBackend(backendOption);
  const model = await loadModel({ modelJson: files.modelJson, weightData: files.shards }, { backend });
  const backendName = model.backend?.name ?? 'unknown';
  metrics?.modelLoaded({ name: basename(dir), backend: backendName, params: model.paramCount, loadSeconds: (performance.now() - start) / 1000 });
  return { served: { ...files, classify: modelClassifier(model), dir, params: model.paramCount, backend: backendName }, model };
}

function listen(server: Server, port: number, host: string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(urlOf(server.address() as AddressInfo));
    });
  });
}

function urlOf(address: AddressInfo): string {
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}
