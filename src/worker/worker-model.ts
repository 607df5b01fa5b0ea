/**
 * WorkerModel: a model that lives in a Web Worker, driven from the page with Sequential's API
 * (compile, fit, evaluate, predict, save), so training never blocks the page. Progress arrives
 * as Keras-style callbacks in the page; cancel() stops a fit after its current batch.
 */
import type { BackendName } from '../kernels/backend.js';
import { saveHandler } from '../model/handlers.js';
import type { ModelSource } from '../model/load.js';
import type { CompileArgs, SaveOptions } from '../model/sequential.js';
import { Sequential } from '../model/sequential.js';
import type { Logs } from '../model/progress.js';
import type { EvaluateResult, FitArgs, History } from '../model/training-loop.js';
import type { ModelArtifacts, NamedWeight } from '../model/weights-format.js';
import { checkLoss } from '../losses.js';
import { Tensor, type Shape } from '../tensor.js';
import { errorFromWire, transferables, type CancelledFit, type Progress, type Reply, type Request, type WireCompileArgs, type WireSource, type WireTensor } from './protocol.js';

/** What WorkerModel needs of a worker: a Web Worker has it (and so can an adapter of another kind). */
export interface WorkerLike {
  postMessage(message: unknown, transfer: Transferable[]): void;
  /** 'message' events carry `data`; 'error' and 'messageerror' events may carry a `message`. */
  addEventListener(type: 'message' | 'error' | 'messageerror', listener: (event: { data?: unknown; message?: string }) => void): void;
  terminate(): void;
}

export interface WorkerModelOptions {
  /** Seeds the worker model's weight init, shuffling and dropout (see SequentialOptions.seed). */
  seed?: number;
  /** The worker model's backend (default: WASM where it runs). */
  backend?: BackendName;
  /** WASM threads inside the worker (2 needs a cross-origin-isolated page). */
  threads?: number;
  /**
   * The worker to use, running wasmnn's worker/model-worker.js; by default one is started from
   * the URL next to this module, a form esbuild, Vite and webpack bundle with no configuration.
   */
  worker?: WorkerLike;
}

/** fit's progress, told in the page as it happens (training does not wait for these). */
export interface WorkerCallbacks {
  onTrainBegin?: () => void;
  onEpochBegin?: (epoch: number) => void;
  onBatchEnd?: (batch: number, logs: Logs) => void;
  onEpochEnd?: (epoch: number, logs: Logs) => void;
  onTrainEnd?: (logs: Logs) => void;
}

/** How inputs cross to the worker. */
export interface TransferOption {
  /**
   * Move the inputs' arrays to the worker instead of copying them: saves a copy of big data, but
   * the page's tensors (and every view of the same buffers) are left empty.
   */
  transfer?: boolean;
}

export interface WorkerFitArgs extends Omit<FitArgs, 'callbacks' | 'output' | 'verbose' | 'checkpoint' | 'validationData' | 'sampleWeight'>, TransferOption {
  validationData?: [Tensor, Tensor];
  sampleWeight?: Tensor;
  callbacks?: WorkerCallbacks;
  /** Aborting it cancels the fit, as cancel() does. */
  signal?: AbortSignal;
  /** Default 'batch' in the worker: a cancel is seen before the next batch starts (a longer interval delays it). */
  yieldEvery?: FitArgs['yieldEvery'];
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  progress: ((p: Progress) => void) | undefined;
}

/** A request as the page writes it; send() numbers it. */
type WithoutId<R> = R extends unknown ? Omit<R, 'id'> : never;
type Call = WithoutId<Request>;

export class WorkerModel {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  /** Why calls fail from now on (terminated, or the worker died). */
  private closed: Error | null = null;
  /** The running fit's settling, for cancel(). */
  private fitting: Promise<unknown> | null = null;
  private info = { name: '', inputShape: [] as Shape, outputShape: [] as Shape };

  /**
   * Starts a worker holding a model made from `source`: a Sequential of this page (its layers,
   * and its weights when it has been built — an unbuilt one is initialized in the worker from
   * `options.seed`; compile it with WorkerModel.compile), or anything loadModel reads — a URL
   * (relative ones are resolved against the page), 'indexeddb://name', the files of an
   * `<input type=file multiple>`, or `{ modelJson, weightData }` (compiled as saved).
   */
  static async create(source: Sequential | ModelSource, options: WorkerModelOptions = {}): Promise<WorkerModel> {
    const { worker, ...modelOptions } = options;
    const wire = sourceToWire(source);
    const model = new WorkerModel(worker ?? startWorker());
    try {
      const info = (await model.send({ op: 'create', source: wire.source, options: modelOptions }, wire.transfer).done) as { name: string; inputShape: number[]; outputShape: number[] };
      model.info = { name: info.name, inputShape: Object.freeze(info.inputShape), outputShape: Object.freeze(info.outputShape) };
      return model;
    } catch (error) {
      model.terminate();
      throw error;
    }
  }

  private constructor(private readonly worker: WorkerLike) {
    worker.addEventListener('message', (event) => this.receive(event.data as Reply));
    // A worker that cannot load its module, or fails outside a call, fails every call with a
    // message saying so; it is ended, as nothing can use it any more.
    const died = (event: { message?: string }): void => {
      worker.terminate();
      // A browser says nothing about a worker module that did not load: name the usual cause.
      this.fail(new Error(`the worker stopped: ${event.message || "it failed to load or crashed (a bundled app must ship wasmnn's worker/model-worker.js next to worker-model.js)"}`));
    };
    worker.addEventListener('error', died);
    // A reply that cannot be read would leave its call waiting forever.
    worker.addEventListener('messageerror', (event) => died({ message: `a message from it could not be read${event.message ? `: ${event.message}` : ''}` }));
  }

  get name(): string {
    return this.info.name;
  }

  get inputShape(): Shape {
    return this.info.inputShape;
  }

  get outputShape(): Shape {
    return this.info.outputShape;
  }

  /** As Sequential.compile; an optimizer object crosses as its TF.js config (a learning-rate schedule cannot). */
  async compile(args: CompileArgs): Promise<void> {
    await this.send({ op: 'compile', args: compileToWire(args) }).done;
  }

  /**
   * As Sequential.fit, in the worker. Resolves with the History; after cancel() (or the signal's
   * abort) rejects with an Error named 'AbortError' — the worker's model keeps the weights of the
   * batches it trained.
   */
  async fit(x: Tensor, y: Tensor, args: WorkerFitArgs = {}): Promise<History> {
    if (this.fitting) throw new Error('WorkerModel.fit: this model is already training; await the running fit() (or cancel it) before starting another');
    const { callbacks = {}, signal, transfer = false, validationData, sampleWeight, ...rest } = args;
    if (signal?.aborted) throw abortError('WorkerModel.fit: the signal was aborted before fit started');
    const list: ArrayBuffer[] = [];
    let callbackError: Error | null = null;
    const progress = (p: Progress): void => {
      if (callbackError) return;
      try {
        if (p.kind === 'trainBegin') callbacks.onTrainBegin?.();
        else if (p.kind === 'epochBegin') callbacks.onEpochBegin?.(p.epoch);
        else if (p.kind === 'batchEnd') callbacks.onBatchEnd?.(p.batch, p.logs);
        else if (p.kind === 'epochEnd') callbacks.onEpochEnd?.(p.epoch, p.logs);
        else callbacks.onTrainEnd?.(p.logs);
      } catch (error) {
        // A callback that throws ends the fit with its error, as it would in the page.
        callbackError = error instanceof Error ? error : new Error(String(error));
        void this.cancel();
      }
    };
    const request: Call = {
      op: 'fit',
      x: toWire(x, 'fit: x', transfer, list),
      y: toWire(y, 'fit: y', transfer, list),
      args: {
        ...rest,
        ...(validationData && { validationData: [toWire(validationData[0], 'fit: validationData[0]', transfer, list), toWire(validationData[1], 'fit: validationData[1]', transfer, list)] }),
        ...(sampleWeight && { sampleWeight: toWire(sampleWeight, 'fit: sampleWeight', transfer, list) }),
      },
    };
    const { done } = this.send(request, list, progress);
    this.fitting = done;
    const onAbort = (): void => void this.cancel();
    signal?.addEventListener('abort', onAbort);
    try {
      const result = (await done) as { history: History } & Partial<CancelledFit>;
      if (callbackError) throw callbackError;
      if (result.cancelled) {
        const { epoch, batch } = result.cancelled;
        throw abortError(`WorkerModel.fit: cancelled in epoch ${epoch + 1} after ${batch} batch${batch === 1 ? '' : 'es'}; the model keeps the weights trained so far`);
      }
      return result.history;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      this.fitting = null;
    }
  }

  /** Stops the running fit after its current batch; resolves once it has stopped (at once when none runs). */
  async cancel(): Promise<void> {
    const running = this.fitting;
    if (!running || this.closed) return;
    this.worker.postMessage({ id: this.nextId++, op: 'cancel' } satisfies Request, []);
    await running.catch(() => undefined);
  }

  async evaluate(x: Tensor, y: Tensor, args: { batchSize?: number } & TransferOption = {}): Promise<EvaluateResult> {
    const list: ArrayBuffer[] = [];
    const t = args.transfer ?? false;
    return (await this.send({ op: 'evaluate', x: toWire(x, 'evaluate: x', t, list), y: toWire(y, 'evaluate: y', t, list), batchSize: args.batchSize }, list).done) as EvaluateResult;
  }

  /** As Sequential.predict; the outputs are moved from the worker, not copied. */
  async predict(x: Tensor, args: { batchSize?: number } & TransferOption = {}): Promise<Tensor> {
    const list: ArrayBuffer[] = [];
    const out = (await this.send({ op: 'predict', x: toWire(x, 'predict: x', args.transfer ?? false, list), batchSize: args.batchSize }, list).done) as WireTensor;
    return new Tensor(out.data, out.shape);
  }

  /** model.json + weight bytes of the worker's model, as Sequential.toArtifacts gives them (moved, not copied). */
  async toArtifacts(options: SaveOptions = {}): Promise<ModelArtifacts> {
    return (await this.send({ op: 'artifacts', includeOptimizer: options.includeOptimizer ?? false }).done) as ModelArtifacts;
  }

  /**
   * As Sequential.save, done by the page (so localstorage:// and downloads://, which need it,
   * work too): a location, or a function given the artifacts.
   */
  async save(target: string | ((artifacts: ModelArtifacts) => Promise<void> | void), options: SaveOptions = {}): Promise<void> {
    const artifacts = await this.toArtifacts(options);
    if (typeof target === 'function') await target(artifacts);
    else await saveHandler(target)(target, artifacts);
  }

  async getWeights(): Promise<NamedWeight[]> {
    return (await this.send({ op: 'getWeights' }).done) as NamedWeight[];
  }

  /** As Sequential.setWeights (the arrays are copied to the worker). */
  async setWeights(weights: readonly NamedWeight[]): Promise<void> {
    await this.send({ op: 'setWeights', weights: [...weights] }).done;
  }

  /** Stops a running fit, releases the worker's model and ends the worker. */
  async dispose(): Promise<void> {
    if (this.closed) return;
    await this.cancel();
    await this.send({ op: 'dispose' }).done;
    this.terminate();
  }

  /** Ends the worker at once; calls still waiting reject. */
  terminate(): void {
    this.worker.terminate();
    this.fail(new Error('the worker was terminated'));
  }

  /** Rejects every waiting call, and every later one, naming the call and why (the first reason stays). */
  private fail(why: Error): void {
    this.closed ??= why;
    for (const [, p] of this.pending) p.reject(why);
    this.pending.clear();
  }

  private send(call: Call, transfer: ArrayBuffer[] = [], progress?: (p: Progress) => void): { done: Promise<unknown> } {
    if (this.closed) return { done: Promise.reject(new Error(`WorkerModel.${call.op}: ${this.closed.message}`)) };
    const id = this.nextId++;
    const done = new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject: (why) => reject(why === this.closed ? new Error(`WorkerModel.${call.op}: ${why.message}`) : why), progress });
    });
    this.worker.postMessage({ ...call, id } as Request, transfer);
    return { done };
  }

  private receive(reply: Reply): void {
    const waiting = this.pending.get(reply.id);
    if (!waiting) return;
    if ('progress' in reply) return waiting.progress?.(reply.progress);
    this.pending.delete(reply.id);
    if (reply.ok) waiting.resolve(reply.value);
    else waiting.reject(errorFromWire(reply.error));
  }
}

let startWorker = (): WorkerLike => {
  if (typeof Worker !== 'function') throw new Error("WorkerModel.create: this environment has no Web Worker; in Node import 'wasmnn/worker' through its node entry, or pass options.worker");
  return new Worker(new URL('./model-worker.js', import.meta.url), { type: 'module', name: 'wasmnn-model' });
};

/** How workers start where there is no Web Worker: the Node entry (worker/node.ts) registers worker threads. */
export function registerWorkerStarter(start: () => WorkerLike): void {
  startWorker = start;
}

function sourceToWire(source: Sequential | ModelSource): { source: WireSource; transfer: ArrayBuffer[] } {
  if (source instanceof Sequential) {
    const weights = source.backend ? source.getWeights() : null;
    return { source: { topology: source.toTopology(), weights }, transfer: transferables((weights ?? []).map((w) => w.data)) };
  }
  if (source instanceof URL) return { source: { load: source.href }, transfer: [] };
  if (typeof source === 'string') {
    // The worker's base URL is this module's, not the page's: resolve a relative URL here.
    const base = (globalThis as { location?: { href: string } }).location?.href;
    const absolute = /^[a-z][a-z0-9+.-]*:/i.test(source) || base === undefined ? source : new URL(source, base).href;
    return { source: { load: absolute }, transfer: [] };
  }
  const FileListCtor = (globalThis as { FileList?: typeof FileList }).FileList;
  if (FileListCtor && source instanceof FileListCtor) return { source: { load: Array.from(source) }, transfer: [] };
  return { source: { load: source }, transfer: [] };
}

/** compile's settings as configs that survive structured cloning; the worker rebuilds them. */
function compileToWire(args: CompileArgs): WireCompileArgs {
  const { optimizer, loss } = args;
  let optimizerConfig: unknown = optimizer;
  if (typeof optimizer !== 'string') {
    if (optimizer.schedule) throw new Error('WorkerModel.compile: an optimizer with a learning-rate schedule cannot be sent to a worker; give a fixed learningRate (or a callback that sets model.optimizer.learningRate)');
    optimizerConfig = optimizer.toTfjs();
    // The TF.js form is the optimizer's only serialized one; TF.js has no AdamW or weight decay.
    if (optimizerConfig === null) throw new Error(`WorkerModel.compile: optimizer ${optimizer.className} (or its weight decay) has no TF.js config to send to a worker; pass its name for the default settings, or an optimizer without weight decay`);
  }
  return {
    optimizer: optimizerConfig,
    loss: typeof loss === 'string' ? loss : checkLoss(loss).toConfig(),
    metrics: (args.metrics ?? []).map((m) => (typeof m === 'string' ? m : m.config)),
  };
}

/**
 * A tensor for postMessage, its array always moved: by default a copy made here (one memcpy;
 * structured cloning would serialize and deserialize it, blocking the page several times longer,
 * bench/browser-worker.ts), with `transfer` the tensor's own array when it spans its buffer.
 */
function toWire(t: Tensor, what: string, transfer: boolean, list: ArrayBuffer[]): WireTensor {
  if (!(t instanceof Tensor)) throw new Error(`WorkerModel.${what} must be a Tensor, got ${t === null ? 'null' : typeof t}`);
  const whole = t.data.byteOffset === 0 && t.data.byteLength === t.data.buffer.byteLength;
  const data = transfer && whole ? t.data : t.data.slice();
  list.push(...transferables([data]));
  return { data, shape: [...t.shape] };
}

function abortError(message: string): Error {
  const error = new Error(message);
  error.name = 'AbortError';
  return error;
}
