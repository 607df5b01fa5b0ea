/**
 * `--workers N`: the primary forks N server processes that share one listening port
 * (Node's cluster module), restarts any that crash, and on SIGTERM stops them all gracefully.
 * A worker that cannot start (a bad model, a busy port) tells the primary why; before every
 * worker has loaded its model that ends the whole server with the worker's error and exit
 * code 1, since restarting it would fail the same way.
 *
 * The primary also makes the workers look like one server to a probe or a scraper: it tells them
 * when all are ready (readiness.ts), and answers a worker's GET /metrics with every worker's
 * metrics merged by prom-client's AggregatorRegistry.
 */
import cluster, { type Address, type Worker } from 'node:cluster';
import { AggregatorRegistry, type PrometheusContentType, type Registry } from 'prom-client';
import type { MetricsText } from './routes.js';

export interface PrimaryOptions {
  workers: number;
  log: (line: string) => void;
  /** Called once every worker has loaded its model and listens. */
  onListening: (address: Address) => void;
}

/** A worker's side of the conversation with the primary. */
export interface WorkerLink {
  /** cluster.worker.id, for the access log. */
  readonly id: number;
  /** Forked at the first start: ready only when the primary says every worker is. */
  readonly waitForSiblings: boolean;
  /** Forked to replace a worker that died: loads its model before it listens. */
  readonly replacement: boolean;
  /** Lets the primary collect `local`, and returns what GET /metrics answers: all workers' metrics. */
  clusterMetrics(local: Registry): () => Promise<MetricsText>;
  /** Tells the primary this worker's model is loaded; `onAllReady` runs once every worker's is. */
  modelLoaded(onAllReady: () => void): void;
}

/** Set in the environment of a worker forked after startup. */
const REPLACEMENT_ENV = 'WASMNN_REPLACEMENT_WORKER';
/** How long a worker waits for the merged metrics (prom-client's own per-scrape limit is 5 s). */
const METRICS_TIMEOUT_MS = 6_000;

type ToPrimary = { wasmnnReady: true } | { wasmnnMetricsRequest: number };
type ToWorker = { wasmnnAllReady: true } | { wasmnnMetricsReply: number; text?: string; contentType?: string; error?: string };

const isObject = (m: unknown): m is Record<string, unknown> => typeof m === 'object' && m !== null;

/** In a cluster worker: its link to the primary. */
export function workerLink(): WorkerLink {
  const worker = cluster.worker;
  if (!worker) throw new Error('workerLink() outside a cluster worker');
  const replacement = process.env[REPLACEMENT_ENV] === '1';
  const send = (message: ToPrimary) => void process.send?.(message);
  return {
    id: worker.id,
    waitForSiblings: !replacement,
    replacement,
    clusterMetrics(local) {
      // prom-client answers the primary's collection requests in every process that made an AggregatorRegistry.
      new AggregatorRegistry<PrometheusContentType>();
      AggregatorRegistry.setRegistries([local]);
      let nextId = 0;
      const waiting = new Map<number, { resolve: (m: MetricsText) => void; reject: (err: Error) => void }>();
      process.on('message', (m: unknown) => {
        if (!isObject(m) || typeof m['wasmnnMetricsReply'] !== 'number') return;
        const reply = m as Extract<ToWorker, { wasmnnMetricsReply: number }>;
        const w = waiting.get(reply.wasmnnMetricsReply);
        waiting.delete(reply.wasmnnMetricsReply);
        if (reply.error !== undefined || reply.text === undefined) w?.reject(new Error(`merging the workers' metrics failed: ${reply.error}`));
        else w?.resolve({ text: reply.text, contentType: reply.contentType ?? local.contentType });
      });
      return () =>
        new Promise<MetricsText>((resolve, reject) => {
          const id = nextId++;
          const timer = setTimeout(() => {
            waiting.delete(id);
            reject(new Error(`the primary did not send the merged metrics within ${METRICS_TIMEOUT_MS} ms`));
          }, METRICS_TIMEOUT_MS);
          const done = <T>(f: (v: T) => void) => (v: T) => {
            clearTimeout(timer);
            f(v);
          };
          waiting.set(id, { resolve: done(resolve), reject: done(reject) });
          send({ wasmnnMetricsRequest: id });
        });
    },
    modelLoaded(onAllReady) {
      process.on('message', (m: unknown) => {
        if (isObject(m) && m['wasmnnAllReady'] === true) onAllReady();
      });
      send({ wasmnnReady: true });
    },
  };
}

const SHUTDOWN_TIMEOUT_MS = 15_000;
const MAX_RESTARTS_PER_MINUTE = 10;

/** The message a worker sends the primary when it cannot start. */
interface StartupFailure {
  wasmnnStartupFailure: string;
}

function isStartupFailure(message: unknown): message is StartupFailure {
  return typeof message === 'object' && message !== null && typeof (message as StartupFailure).wasmnnStartupFailure === 'string';
}

/**
 * In a worker: tells the primary why this worker cannot start, then exits 1. (The IPC channel to
 * the primary would otherwise keep the failed worker alive, and the primary waiting for it.)
 */
export function failWorkerStartup(message: string): void {
  const exit = () => process.exit(1);
  if (process.send) process.send({ wasmnnStartupFailure: message } satisfies StartupFailure, undefined, {}, exit);
  else exit();
}

export function runPrimary({ workers, log, onListening }: PrimaryOptions): void {
  let stopping = false;
  let exitCode = 0;
  let started = false;
  let address: Address | null = null;
  const ready = new Set<number>();
  const restarts: number[] = [];
  let aggregator: AggregatorRegistry<PrometheusContentType> | null = null;

  const tell = (worker: Worker, message: ToWorker) => {
    if (worker.isConnected()) worker.send(message);
  };
  cluster.on('listening', (_worker, a) => {
    address = a;
  });
  cluster.on('message', (worker: Worker, message: unknown) => {
    if (!isObject(message)) return;
    if (message['wasmnnReady'] === true) {
      ready.add(worker.id);
      if (started) return tell(worker, { wasmnnAllReady: true });
      if (ready.size < workers || address === null) return;
      started = true;
      for (const w of Object.values(cluster.workers ?? {})) if (w) tell(w, { wasmnnAllReady: true });
      return onListening(address);
    }
    if (typeof message['wasmnnMetricsRequest'] === 'number') {
      const id = message['wasmnnMetricsRequest'];
      aggregator ??= new AggregatorRegistry<PrometheusContentType>();
      const registry = aggregator;
      registry.clusterMetrics().then(
        (text) => tell(worker, { wasmnnMetricsReply: id, text, contentType: registry.contentType }),
        (err: unknown) => tell(worker, { wasmnnMetricsReply: id, error: err instanceof Error ? err.message : String(err) }),
      );
      return;
    }
    if (!isStartupFailure(message) || stopping) return;
    if (!started) {
      // Before the server is up, every restart would fail the same way: give up at once.
      log(`wasmnn: ${message.wasmnnStartupFailure}`);
      stop(1);
    } else {
      log(`wasmnn serve: worker ${worker.process.pid} could not start: ${message.wasmnnStartupFailure}`);
    }
  });
  cluster.on('exit', (worker: Worker, code, signal) => {
    ready.delete(worker.id);
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(exitCode);
      return;
    }
    const now = Date.now();
    restarts.push(now);
    while (restarts[0]! < now - 60_000) restarts.shift();
    if (restarts.length > MAX_RESTARTS_PER_MINUTE) {
      log(`wasmnn serve: workers keep dying (last: pid ${worker.process.pid}, ${signal ?? `code ${code}`}); giving up`);
      stop(1);
      return;
    }
    log(`wasmnn serve: worker ${worker.process.pid} died (${signal ?? `code ${code}`}); starting another`);
    cluster.fork({ [REPLACEMENT_ENV]: started ? '1' : '0' });
  });

  const stop = (code: number) => {
    stopping = true;
    exitCode = code;
    // Node drops a worker from cluster.workers only after both its 'exit' and 'disconnect': when
    // the last 'exit' comes first, the primary ends by running out of work, not through
    // process.exit below, and must still end with this code.
    process.exitCode = code;
    const alive = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
    if (alive.length === 0) process.exit(exitCode);
    for (const w of alive) w.process.kill('SIGTERM');
    setTimeout(() => process.exit(exitCode), SHUTDOWN_TIMEOUT_MS).unref();
  };
  let signalled = false;
  const onSignal = () => {
    if (signalled) process.exit(1);
    signalled = true;
    stop(0);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);

  for (let i = 0; i < workers; i++) cluster.fork();
}

/** In a worker: exit when the primary goes away (its IPC channel closes). */
export function exitWithPrimary(stop: () => Promise<void>): void {
  cluster.worker?.on('disconnect', () => {
    void stop().finally(() => process.exit(0));
  });
}
