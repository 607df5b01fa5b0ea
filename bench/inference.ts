// Inference: single-image latency (median of repeated predict calls on one test image) and batch
// throughput over the 10,000 test images, wasmnn vs TF.js backends, freshly initialized models.
import { buildArchitecture } from '../src/architectures.js';
import { createBackend } from '../src/kernels/index.js';
import { Tensor } from '../src/tensor.js';
import { errorMessage, median, mnist, now, rows, type BenchOptions } from './common.js';
import { buildTfModel, tf, useTfBackend, type TfBackendName } from './tfjs-models.js';

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

/** Predicts `n` rows of x starting at `start` with the given batch size, results read back. */
type Predict = (x: Tensor, batchSize: number) => Promise<void>;

async function measure(model: string, impl: string, threads: number | null, predict: Predict, o: BenchOptions): Promise<InferenceRow> {
  const { test } = await mnist();
  const one = new Tensor(test.x.data.slice(0, 784), [1, 28, 28, 1]);
  // Latency: warm up (2,000 calls or 1/4 of the time cap, whichever comes first: V8 optimizes
  // the JS and WebAssembly of a call only once it is hot — single-image wasmnn calls took
  // 150–250 µs for the first ~1,400 calls and ~63 µs after, so 20 warm-up calls measured
  // the unoptimized tiers), then up to latencyCalls timed calls.
  let t0 = now();
  for (let i = 0; i < 2000 && now() - t0 < o.latencySeconds / 4; i++) await predict(one, 1);
  const times: number[] = [];
  t0 = now();
  while (times.length < o.latencyCalls && (times.length < 5 || now() - t0 < o.latencySeconds)) {
    const t = now();
    await predict(one, 1);
    times.push((now() - t) * 1000);
  }
  // Throughput: one warm-up batch, then the test set batch by batch until done or out of time.
  const bs = o.predictBatch;
  const first = rows(test.x, 0, bs);
  await predict(new Tensor(first.data, first.shape), bs);
  let images = 0;
  t0 = now();
  while (images < o.batchImages && (images === 0 || now() - t0 < o.batchSeconds)) {
    const n = Math.min(bs, o.batchImages - images);
    const r = rows(test.x, images, n);
    await predict(new Tensor(r.data, r.shape), bs);
    images += n;
  }
  const seconds = now() - t0;
  return { model, impl, threads, latencyMs: median(times), latencyCalls: times.length, imagesPerSec: images / seconds, images, batchSize: bs };
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
    for (const threads of [1, 2]) {
      const backend = await createBackend('wasm', { threads });
      const model = buildArchitecture(arch, { seed: 1, backend });
      try {
        push(await measure(arch, 'wasmnn wasm', backend.threads, async (x, batchSize) => void (await model.predict(x, { batchSize })), o));
      } finally {
        model.dispose();
      }
    }
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
          push(await measure(arch, impl, 1, predict, o));
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
