// Inference: single-image latency (median of repeated predict calls on one test image) and batch
// throughput over the 10,000 test images, wasmnn vs TF.js backends, freshly initialized models.
import { buildArchitecture } from '../src/architectures.js';
import { createBackend } from '../src/kernels/index.js';
import { Tensor } from '../src/tensor.js';
import { errorMessage, median, mnist, now, rows, type BenchOptions } from './common.js';
import { buildTfModel, tf, useTfBackend, type TfBackendName } from './tfjs-models.js';
import { TorchModel, torchAvailable } from './torch-anchor.js';

export interface InferenceRow {
  model: string;
  impl: string;
  threads: number | null;
  /** Median single-image predict latency (ms) and the number of calls it is the median of. */
  latencyMs: number | null;
  latencyCalls: number;
  /** Images per second over `images` test images (all 10,000 unless the time cap stopped it). */
  imagesPerSec: number | null;
  images: number;
  batchSize: number;
  error?: string;
}

/** Predicts every row of x with the given batch size, results read back. */
type Predict = (x: Tensor, batchSize: number) => Promise<void>;

/**
 * One implementation's measurements, in phases that can be interleaved with another's: warm-up,
 * then latency calls and batch throughput in as many slices as the caller wants.
 */
class Meter implements Measured {
  readonly times: number[] = [];
  images = 0;
  seconds = 0;

  private constructor(
    readonly model: string,
    readonly impl: string,
    readonly threads: number | null,
    private readonly predict: Predict,
    private readonly o: BenchOptions,
    private readonly one: Tensor,
  ) {}

  static async start(model: string, impl: string, threads: number | null, predict: Predict, o: BenchOptions): Promise<Meter> {
    const { test } = await mnist();
    const meter = new Meter(model, impl, threads, predict, o, new Tensor(test.x.data.slice(0, 784), [1, 28, 28, 1]));
    await meter.warmUp();
    return meter;
  }

  // Warm up (2,000 calls or 1/4 of the time cap, whichever comes first: V8 optimizes the JS and
  // WebAssembly of a call only once it is hot — single-image wasmnn calls took 150–250 µs for
  // the first ~1,400 calls and ~63 µs after, so 20 warm-up calls measured the unoptimized
  // tiers), then one batch.
  private async warmUp(): Promise<void> {
    const t0 = now();
    for (let i = 0; i < 2000 && now() - t0 < this.o.latencySeconds / 4; i++) await this.predict(this.one, 1);
    const { test } = await mnist();
    const first = rows(test.x, 0, this.o.predictBatch);
    await this.predict(new Tensor(first.data, first.shape), this.o.predictBatch);
  }

  /** Up to `calls` more timed single-image calls, within `seconds` (at least 5). */
  async latency(calls: number, seconds: number): Promise<void> {
    const t0 = now();
    for (let i = 0; i < calls && (i < 5 || now() - t0 < seconds); i++) {
      const t = now();
      await this.predict(this.one, 1);
      this.times.push((now() - t) * 1000);
    }
  }

  /** Up to `images` more test images (continuing through the test set), batch by batch, within `seconds`. */
  async throughput(images: number, seconds: number): Promise<void> {
    const { test } = await mnist();
    const bs = this.o.predictBatch;
    const t0 = now();
    for (let done = 0; done < images && (done === 0 || now() - t0 < seconds); ) {
      const start = this.images % test.x.shape[0]!;
      const n = Math.min(bs, images - done, test.x.shape[0]! - start);
      const r = rows(test.x, start, n);
      await this.predict(new Tensor(r.data, r.shape), bs);
      done += n;
      this.images += n;
    }
    this.seconds += now() - t0;
  }

  row(): InferenceRow {
    return {
      model: this.model, impl: this.impl, threads: this.threads, latencyMs: median(this.times), latencyCalls: this.times.length,
      imagesPerSec: this.images / this.seconds, images: this.images, batchSize: this.o.predictBatch,
    };
  }
}

/** What measureAlternating drives: wasmnn/TF.js through Meter, PyTorch in its own process. */
interface Measured {
  latency(calls: number, seconds: number): Promise<void>;
  throughput(images: number, seconds: number): Promise<void>;
  row(): InferenceRow;
}

/** PyTorch's measurements, timed inside its process (the pipe to Node is not in them). */
class TorchMeter implements Measured {
  private readonly times: number[] = [];
  private images = 0;
  private seconds = 0;

  private constructor(private readonly arch: string, private readonly threads: number, private readonly model: TorchModel, private readonly o: BenchOptions) {}

  static async start(arch: string, threads: number, o: BenchOptions): Promise<TorchMeter> {
    const started = await TorchModel.start(arch, threads, o.predictBatch, 1e-3);
    const meter = new TorchMeter(arch, started.threads, started.model, o);
    // The same warm-up as Meter's: hot single-image calls, then one batch.
    await started.model.send({ cmd: 'latency', calls: 2000, seconds: o.latencySeconds / 4 });
    await started.model.send({ cmd: 'throughput', images: o.predictBatch, batch: o.predictBatch, seconds: 0 });
    return meter;
  }

  async latency(calls: number, seconds: number): Promise<void> {
    this.times.push(...((await this.model.send({ cmd: 'latency', calls, seconds })).times as number[]));
  }

  async throughput(images: number, seconds: number): Promise<void> {
    const r = await this.model.send({ cmd: 'throughput', images, batch: this.o.predictBatch, seconds });
    this.images += r['images'] as number;
    this.seconds += r['seconds'] as number;
  }

  row(): InferenceRow {
    return {
      model: this.arch, impl: 'pytorch cpu', threads: this.threads, latencyMs: median(this.times), latencyCalls: this.times.length,
      imagesPerSec: this.images / this.seconds, images: this.images, batchSize: this.o.predictBatch,
    };
  }

  dispose(): void {
    this.model.dispose();
  }
}

/** Rounds in which wasmnn's 1- and 2-thread models take turns (a shared host's speed drifts within minutes). */
const ALTERNATING_ROUNDS = 4;

/** Measures the meters in turn, round by round, each getting the same share of calls, images and time. */
async function measureAlternating(meters: Measured[], o: BenchOptions, rounds: number): Promise<void> {
  for (let r = 0; r < rounds; r++) {
    for (const m of meters) await m.latency(Math.ceil(o.latencyCalls / rounds), o.latencySeconds / rounds);
  }
  for (let r = 0; r < rounds; r++) {
    for (const m of meters) await m.throughput(Math.ceil(o.batchImages / rounds), o.batchSeconds / rounds);
  }
}

export async function benchInference(o: BenchOptions, log: (line: string) => void): Promise<InferenceRow[]> {
  const out: InferenceRow[] = [];
  const push = (r: InferenceRow): void => {
    out.push(r);
    log(
      r.error
        ? `  infer ${r.model} ${r.impl}: error: ${r.error}`
        : `  infer ${r.model} ${r.impl}${r.threads ? ` ${r.threads}t` : ''}: ${r.latencyMs?.toFixed(2)} ms/image (median of ${r.latencyCalls}), ` +
            `${r.imagesPerSec?.toFixed(0)} images/s (${r.images} images, batch ${r.batchSize})`,
    );
  };
  for (const arch of o.models) {
    {
      // 1 and 2 threads take turns, round by round: their ratio is what the second core buys.
      const models = [];
      const torchMeters: TorchMeter[] = [];
      try {
        const meters: Measured[] = [];
        for (const threads of [1, 2]) {
          const backend = await createBackend('wasm', { threads });
          const model = buildArchitecture(arch, { seed: 1, backend });
          models.push(model);
          meters.push(await Meter.start(arch, 'wasmnn wasm', backend.threads, async (x, batchSize) => void (await model.predict(x, { batchSize })), o));
        }
        // PyTorch (CPU), when python3 has it, takes its turns in the same rounds.
        if (!o.wasmnnOnly && torchAvailable()) {
          for (const threads of [1, 2]) torchMeters.push(await TorchMeter.start(arch, threads, o));
          meters.push(...torchMeters);
        }
        await measureAlternating(meters, o, ALTERNATING_ROUNDS);
        for (const m of meters) push(m.row());
      } finally {
        for (const model of models) model.dispose();
        for (const m of torchMeters) m.dispose();
      }
    }
    if (o.wasmnnOnly || o.skipTfjs) continue;
    for (const backend of ['wasm', 'cpu'] as TfBackendName[]) {
      const impl = `tfjs ${backend}`;
      try {
        await useTfBackend(backend);
        const model = await buildTfModel(arch);
        try {
          const predict: Predict = async (x, batchSize) => {
            const input = tf.tensor(x.data, [...x.shape], 'float32');
            const y = model.predict(input, { batchSize }) as ReturnType<typeof tf.tensor>;
            await y.data();
            y.dispose();
            input.dispose();
          };
          const meter = await Meter.start(arch, impl, 1, predict, o);
          await measureAlternating([meter], o, 1);
          push(meter.row());
        } finally {
          model.dispose();
        }
      } catch (err) {
        push({ model: arch, impl, threads: 1, latencyMs: null, latencyCalls: 0, imagesPerSec: null, images: 0, batchSize: o.predictBatch, error: errorMessage(err) });
      }
    }
  }
  return out;
}
