/**
 * The worker side of WorkerModel: holds one Sequential and answers the page's requests
 * (protocol.ts). Transport-free: the worker entry (model-worker.ts) connects it to its port.
 */
import { lossFromConfig } from '../losses.js';
import { loadModel } from '../model/load.js';
import { metricsFromConfig, type MetricSpec } from '../model/metrics.js';
import { Sequential } from '../model/sequential.js';
import type { ModelArtifacts } from '../model/weights-format.js';
import { layersFromTopology } from '../model/topology.js';
import type { CompileArgs } from '../model/sequential.js';
import type { Callbacks, FitArgs } from '../model/training-loop.js';
import { optimizerFromTfjs } from '../optimizers/optimizer.js';
import type { Optimizer, OptimizerName } from '../optimizers.js';
import { Tensor } from '../tensor.js';
import { errorToWire, transferables, type Progress, type Reply, type Request, type WireCompileArgs, type WireFitArgs, type WireSource, type WireModelOptions, type WireTensor } from './protocol.js';

/** Sends a reply to the page, moving the given buffers. */
export type PostReply = (reply: Reply, transfer: ArrayBuffer[]) => void;

/** Returns the handler of the page's requests for one model. */
export function modelHost(post: PostReply): (request: Request) => Promise<void> {
  let model: Sequential | null = null;
  /** The running fit's place (its epoch, the batches done in it), and whether the page cancelled it. */
  let fitting: { epoch: number; batch: number; cancelled: boolean } | null = null;
  const use = (op: string): Sequential => {
    if (!model) throw new Error(`WorkerModel.${op}: the model is disposed`);
    return model;
  };

  async function run(request: Request): Promise<{ value: unknown; transfer: ArrayBuffer[] }> {
    switch (request.op) {
      case 'create':
        model = await createModel(request.source, request.options);
        return { value: { inputShape: [...model.inputShape], outputShape: [...model.outputShape], name: model.name }, transfer: [] };
      case 'compile':
        use('compile').compile(compileArgs(request.args));
        return { value: null, transfer: [] };
      case 'fit': {
        const m = use('fit');
        // One fit at a time (WorkerModel.fit checks too): the running one's place must not be lost.
        if (fitting) throw new Error('fit: this model is already training; await the running fit() before starting another');
        fitting = { epoch: 0, batch: 0, cancelled: false };
        const place = fitting;
        const progress = (p: Progress): void => post({ id: request.id, progress: p }, []);
        const callbacks: Callbacks = {
          onTrainBegin: () => {
            // fit clears stopTraining as it starts: a cancel that came while it was building stops it here.
            if (place.cancelled) m.stopTraining = true;
            progress({ kind: 'trainBegin' });
          },
          onEpochBegin: (epoch) => {
            place.epoch = epoch;
            place.batch = 0;
            progress({ kind: 'epochBegin', epoch });
          },
          onBatchEnd: (batch, logs) => {
            place.batch = batch + 1;
            progress({ kind: 'batchEnd', batch, logs });
          },
          onEpochEnd: (epoch, logs) => progress({ kind: 'epochEnd', epoch, logs }),
          onTrainEnd: (logs) => progress({ kind: 'trainEnd', logs }),
        };
        try {
          const history = await m.fit(tensor(request.x), tensor(request.y), { ...fitArgs(request.args), callbacks, verbose: 0 });
          const value = place.cancelled ? { history, cancelled: { epoch: place.epoch, batch: place.batch } } : { history };
          return { value, transfer: [] };
        } finally {
          fitting = null;
        }
      }
      case 'cancel':
        if (fitting && model) {
          fitting.cancelled = true;
          model.stopTraining = true;
        }
        return { value: null, transfer: [] };
      case 'evaluate':
        return { value: await use('evaluate').evaluate(tensor(request.x), tensor(request.y), batchArgs(request.batchSize)), transfer: [] };
      case 'predict': {
        const out = await use('predict').predict(tensor(request.x), batchArgs(request.batchSize));
        return { value: wire(out), transfer: transferables([out.data]) };
      }
      case 'artifacts': {
        const artifacts = use('save').toArtifacts({ includeOptimizer: request.includeOptimizer });
        return { value: artifacts, transfer: transferables(shards(artifacts)) };
      }
      case 'getWeights': {
        const weights = use('getWeights').getWeights();
        return { value: weights, transfer: transferables(weights.map((w) => w.data)) };
      }
      case 'setWeights':
        use('setWeights').setWeights(request.weights);
        return { value: null, transfer: [] };
      case 'dispose':
        model?.dispose();
        model = null;
        return { value: null, transfer: [] };
    }
  }

  return async (request) => {
    try {
      const { value, transfer } = await run(request);
      // A cancel answers nothing: the fit it stops replies.
      if (request.op !== 'cancel') post({ id: request.id, ok: true, value }, transfer);
    } catch (error) {
      post({ id: request.id, ok: false, error: errorToWire(error) }, []);
    }
  };
}

async function createModel(source: WireSource, options: WireModelOptions): Promise<Sequential> {
  if ('load' in source) return loadModel(source.load, options);
  const { name, layers } = layersFromTopology(source.topology);
  const model = new Sequential(layers, { name, ...options });
  await model.build();
  if (source.weights) model.setWeights(source.weights);
  return model;
}

/** compile's arguments rebuilt from the configs the page sent (see WorkerModel.compile). */
function compileArgs(args: WireCompileArgs): CompileArgs {
  // A name is checked by compile itself.
  const optimizer: Optimizer | OptimizerName | null = typeof args.optimizer === 'string' ? (args.optimizer as OptimizerName) : optimizerFromTfjs(args.optimizer);
  if (optimizer === null) throw new Error(`WorkerModel.compile: cannot rebuild the optimizer from ${JSON.stringify(args.optimizer)}`);
  const metrics = args.metrics.map((entry): MetricSpec => {
    if (typeof entry === 'string') return entry as MetricSpec;
    const [metric] = metricsFromConfig([entry]);
    if (!metric) throw new Error(`WorkerModel.compile: cannot rebuild the metric ${JSON.stringify(entry)}`);
    return metric;
  });
  return { optimizer, loss: lossFromConfig(args.loss), metrics };
}

function fitArgs(args: WireFitArgs): FitArgs {
  const { validationData, sampleWeight, ...rest } = args;
  return {
    // A turn per batch: a cancel (a message) is seen before the next batch starts.
    yieldEvery: 'batch',
    ...rest,
    ...(validationData && { validationData: [tensor(validationData[0]), tensor(validationData[1])] as [Tensor, Tensor] }),
    ...(sampleWeight && { sampleWeight: tensor(sampleWeight) }),
  };
}

const batchArgs = (batchSize: number | undefined): { batchSize?: number } => (batchSize === undefined ? {} : { batchSize });

const tensor = (t: WireTensor): Tensor => new Tensor(t.data, t.shape);

const wire = (t: Tensor): WireTensor => ({ data: t.data, shape: [...t.shape] });

const shards = (a: ModelArtifacts): Uint8Array[] => (Array.isArray(a.weightData) ? a.weightData : [a.weightData as Uint8Array]);
