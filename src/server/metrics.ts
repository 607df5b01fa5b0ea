/**
 * GET /metrics: what one server process counts, in Prometheus text format, through prom-client
 * (a server-only dependency; nothing in the library core imports this file). With --workers N the
 * primary merges every worker's numbers (cluster.ts), so a scrape of any worker covers the pod.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Routes as they are labelled: a fixed set, so a client cannot grow the series by inventing paths. */
export type RouteLabel = '/api/predict' | '/healthz' | '/readyz' | '/metrics' | '/' | '/app/*' | '/lib/*' | '/model/*' | 'other';

export interface ModelLoadInfo {
  name: string;
  backend: string;
  params: number;
  loadSeconds: number;
}

export interface MetricsSources {
  /** Requests waiting for their decode/preprocess slice (work-queue.ts). */
  workQueueDepth: () => number;
  /** Images handed to the decode thread and not yet back (decode-pool.ts). */
  decodeQueueDepth: () => number;
  /** Whether this process answers /readyz with 200. */
  ready: () => boolean;
}

const LATENCY_BUCKETS_S = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class ServerMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'route' | 'method' | 'status'>;
  private readonly latency: Histogram<'route'>;
  private readonly modelInfo: Gauge<'model' | 'backend'>;
  private readonly modelParams: Gauge;
  private readonly modelLoad: Gauge;
  /**
   * Labelled children by their label values: prom-client hashes a label object on every call,
   * and a request should cost a map lookup (bench/load-metrics.ts measures the whole overhead).
   */
  private readonly counters = new Map<string, Counter.Internal>();
  private readonly timers = new Map<string, Histogram.Internal<'route'>>();

  constructor(sources: MetricsSources) {
    const registers = [this.registry];
    this.requests = new Counter({
      name: 'wasmnn_http_requests_total',
      help: 'HTTP requests answered, by route, method and status (499: the client left first)',
      labelNames: ['route', 'method', 'status'],
      registers,
    });
    this.latency = new Histogram({
      name: 'wasmnn_http_request_duration_seconds',
      help: 'Time from the request to the last byte of the answer, by route',
      labelNames: ['route'],
      buckets: LATENCY_BUCKETS_S,
      registers,
    });
    new Gauge({
      name: 'wasmnn_queue_depth',
      help: 'Requests waiting: "work" for their decode/preprocess turn, "decode" on the decode thread',
      labelNames: ['queue'],
      registers,
      collect() {
        this.set({ queue: 'work' }, sources.workQueueDepth());
        this.set({ queue: 'decode' }, sources.decodeQueueDepth());
      },
    });
    new Gauge({
      name: 'wasmnn_ready',
      help: 'Server processes answering /readyz with 200 (summed over workers)',
      registers,
      collect() {
        this.set(sources.ready() ? 1 : 0);
      },
    });
    // Every worker loads the same model: the cluster view shows one value, not their sum.
    this.modelInfo = new Gauge({ name: 'wasmnn_model_info', help: 'The served model (value 1)', labelNames: ['model', 'backend'], aggregator: 'first', registers });
    this.modelParams = new Gauge({ name: 'wasmnn_model_params', help: 'Parameters of the served model', aggregator: 'first', registers });
    this.modelLoad = new Gauge({ name: 'wasmnn_model_load_seconds', help: 'Time to read, validate and build the model (slowest worker)', aggregator: 'max', registers });
    collectDefaultMetrics({ register: this.registry });
  }

  modelLoaded(info: ModelLoadInfo): void {
    this.modelInfo.set({ model: info.name, backend: info.backend }, 1);
    this.modelParams.set(info.params);
    this.modelLoad.set(info.loadSeconds);
  }

  /** Counts one finished (or abandoned) request. */
  observe(route: RouteLabel, method: string, status: number, seconds: number): void {
    const verb = boundedMethod(method);
    const key = `${route} ${verb} ${status}`;
    let counter = this.counters.get(key);
    if (!counter) {
      counter = this.requests.labels(route, verb, String(status));
      this.counters.set(key, counter);
    }
    counter.inc();
    let timer = this.timers.get(route);
    if (!timer) {
      timer = this.latency.labels(route);
      this.timers.set(route, timer);
    }
    timer.observe(seconds);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** This process's metrics as Prometheus text. */
  text(): Promise<string> {
    return this.registry.metrics();
  }
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']);

/** Any other method string a client sends is one label value, not a new series each. */
function boundedMethod(method: string): string {
  return METHODS.has(method) ? method : 'other';
}
