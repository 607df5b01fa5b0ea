// A small tf.data-like pipeline for fitDataset: elements flow through async iterators, so data
// that does not fit in memory (IDX or image files read piece by piece) can be streamed.
import { nextModelSeed, Random } from '../random.js';
import { formatShape, shapeSize, Tensor } from '../tensor.js';

/** One sample or one batch: inputs and targets. */
export interface Batch {
  xs: Tensor;
  ys: Tensor;
}

/**
 * An iterable fitDataset can hand the model's seeded generator to, so that shuffling is
 * reproducible from the model's seed (Dataset is one).
 */
export interface SeededIterable<T> {
  iterate(random: Random | null): AsyncIterator<T>;
}

type Source<T> = (random: Random | null) => AsyncIterator<T>;

/**
 * A re-iterable sequence of elements: every iteration (every epoch of fitDataset) runs the
 * pipeline again from its source. Built with fromArrays / fromGenerator, then shuffle, map,
 * batch, take, prefetch; iterate it with `for await`.
 */
export class Dataset<T> implements AsyncIterable<T>, SeededIterable<T> {
  private constructor(private readonly source: Source<T>) {}

  /** One element { xs, ys } per sample of x and y (the first axis), in order. */
  static fromArrays(x: Tensor, y: Tensor): Dataset<Batch> {
    if (!(x instanceof Tensor) || !(y instanceof Tensor)) throw new Error('Dataset.fromArrays: x and y must be Tensors');
    const n = x.shape[0] ?? 0;
    if (y.shape[0] !== n) throw new Error(`Dataset.fromArrays: x has ${n} samples but y has ${y.shape[0]}`);
    const xShape = x.shape.slice(1);
    const yShape = y.shape.slice(1);
    return new Dataset(async function* () {
      for (let i = 0; i < n; i++) yield { xs: x.slice(i, i + 1).reshape(xShape), ys: y.slice(i, i + 1).reshape(yShape) };
    });
  }

  /**
   * Elements from a function that starts a fresh (async) iterator or iterable each time — a
   * generator function, say: `Dataset.fromGenerator(() => readBatches(file))`.
   */
  static fromGenerator<T>(make: () => Iterator<T> | AsyncIterator<T> | Iterable<T> | AsyncIterable<T>): Dataset<T> {
    if (typeof make !== 'function') throw new Error('Dataset.fromGenerator: pass a function that returns a new iterator, e.g. () => generate()');
    return new Dataset(() => toAsyncIterator(make()));
  }

  /** A new iterator over the elements; `random` seeds shuffle() when it was given no seed. */
  iterate(random: Random | null = null): AsyncIterator<T> {
    return this.source(random);
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return this.source(null);
  }

  /** Each element passed through fn (which may be async). */
  map<U>(fn: (element: T) => U | Promise<U>): Dataset<U> {
    const source = this.source;
    return new Dataset(async function* (random) {
      for await (const e of iterable(source(random))) yield await fn(e);
    });
  }

  /** The first n elements. */
  take(n: number): Dataset<T> {
    if (!(Number.isInteger(n) && n >= 0)) throw new Error(`Dataset.take: n must be a whole number ≥ 0, got ${n}`);
    const source = this.source;
    return new Dataset(async function* (random) {
      if (n === 0) return;
      let taken = 0;
      for await (const e of iterable(source(random))) {
        yield e;
        if (++taken >= n) return;
      }
    });
  }

  /**
   * tf.data's buffered shuffle: holds bufferSize elements and yields a random one of them each
   * time (bufferSize ≥ the dataset's size shuffles it uniformly). Each iteration shuffles anew.
   * The generator: `seed`'s when given; else, under fitDataset, the model's seeded one; else one
   * seeded from the program's seed sequence (setSeed).
   */
  shuffle(bufferSize: number, seed?: number): Dataset<T> {
    if (!(Number.isInteger(bufferSize) && bufferSize >= 1)) throw new Error(`Dataset.shuffle: bufferSize must be a positive integer, got ${bufferSize}`);
    const own = seed === undefined ? null : new Random(seed);
    let fallback: Random | null = null;
    const source = this.source;
    return new Dataset(async function* (random) {
      const rng = own ?? random ?? (fallback ??= new Random(nextModelSeed()));
      const buffer: T[] = [];
      for await (const e of iterable(source(random))) {
        if (buffer.length < bufferSize) {
          buffer.push(e);
          continue;
        }
        const i = rng.int(bufferSize);
        yield buffer[i]!;
        buffer[i] = e;
      }
      while (buffer.length > 0) {
        const i = rng.int(buffer.length);
        yield buffer[i]!;
        buffer[i] = buffer[buffer.length - 1]!;
        buffer.pop();
      }
    });
  }

  /**
   * Consecutive { xs, ys } elements stacked into batches of batchSize along a new first axis
   * (the last batch smaller unless dropRemainder).
   */
  batch(this: Dataset<Batch>, batchSize: number, options: { dropRemainder?: boolean } = {}): Dataset<Batch> {
    if (!(Number.isInteger(batchSize) && batchSize >= 1)) throw new Error(`Dataset.batch: batchSize must be a positive integer, got ${batchSize}`);
    const source = this.source;
    return new Dataset(async function* (random) {
      let pending: Batch[] = [];
      for await (const e of iterable(source(random))) {
        pending.push(e);
        if (pending.length === batchSize) {
          yield stackBatch(pending);
          pending = [];
        }
      }
      if (pending.length > 0 && !options.dropRemainder) yield stackBatch(pending);
    });
  }

  /**
   * Reads up to bufferSize elements ahead while the consumer works on the current one, so a slow
   * source (files, decoding) overlaps with training.
   */
  prefetch(bufferSize: number): Dataset<T> {
    if (!(Number.isInteger(bufferSize) && bufferSize >= 1)) throw new Error(`Dataset.prefetch: bufferSize must be a positive integer, got ${bufferSize}`);
    const source = this.source;
    return new Dataset((random) => {
      const it = source(random);
      // Async iterators queue calls to next(), so the pending ones settle in order.
      const ahead: Promise<IteratorResult<T>>[] = [];
      return {
        next: () => {
          while (ahead.length <= bufferSize) ahead.push(it.next());
          return ahead.shift()!;
        },
        return: async (value?: unknown) => {
          ahead.length = 0;
          return (await it.return?.(value)) ?? { done: true, value: undefined };
        },
      };
    });
  }
}

/** Stacks samples' xs and ys (each of one shape) into one batch. */
function stackBatch(samples: readonly Batch[]): Batch {
  return { xs: stack(samples.map((s) => s.xs), 'xs'), ys: stack(samples.map((s) => s.ys), 'ys') };
}

function stack(tensors: readonly Tensor[], what: string): Tensor {
  const shape = tensors[0]!.shape;
  const size = shapeSize(shape);
  const out = new Float32Array(tensors.length * size);
  tensors.forEach((t, i) => {
    if (!(t instanceof Tensor)) throw new Error(`Dataset.batch: element ${i}'s ${what} is not a Tensor`);
    if (formatShape(t.shape) !== formatShape(shape)) throw new Error(`Dataset.batch: element ${i}'s ${what} has shape ${formatShape(t.shape)}, element 0's ${formatShape(shape)}`);
    out.set(t.data, i * size);
  });
  return new Tensor(out, [tensors.length, ...shape]);
}

function toAsyncIterator<T>(source: Iterator<T> | AsyncIterator<T> | Iterable<T> | AsyncIterable<T>): AsyncIterator<T> {
  if (source !== null && typeof source === 'object') {
    if (Symbol.asyncIterator in source) return source[Symbol.asyncIterator]();
    if (Symbol.iterator in source) return syncToAsync(source[Symbol.iterator]());
    if (typeof (source as Iterator<T>).next === 'function') return syncToAsync(source as Iterator<T>);
  }
  throw new Error('Dataset.fromGenerator: the function must return an iterator or an (async) iterable');
}

/** Treats a sync or async iterator alike (awaiting a plain result is harmless). */
function syncToAsync<T>(it: Iterator<T> | AsyncIterator<T>): AsyncIterator<T> {
  return {
    next: async () => await it.next(),
    return: async (value?: unknown) => (await it.return?.(value)) ?? { done: true, value: undefined },
  };
}

function iterable<T>(it: AsyncIterator<T>): AsyncIterable<T> {
  return { [Symbol.asyncIterator]: () => it };
}
