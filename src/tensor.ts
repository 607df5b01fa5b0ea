/** A shape as Keras prints it, without the batch dimension unless stated. */
export type Shape = readonly number[];

/**
 * A dense float32 array with a shape (NHWC for images). The data is the caller's:
 * `tensor()` wraps a Float32Array without copying.
 */
export class Tensor {
  readonly shape: Shape;
  readonly data: Float32Array;

  constructor(data: Float32Array, shape: Shape) {
    for (const d of shape) {
      if (!Number.isInteger(d) || d < 0) throw new Error(`Tensor: invalid shape [${shape.join(', ')}]: dimensions must be non-negative integers`);
    }
    const size = shapeSize(shape);
    if (data.length !== size) {
      throw new Error(`Tensor: shape [${shape.join(', ')}] needs ${size} values but the data holds ${data.length}`);
    }
    this.shape = Object.freeze([...shape]);
    this.data = data;
  }

  get size(): number {
    return this.data.length;
  }

  /** Rows [start, end) along the first axis, as a view (no copy). */
  slice(start: number, end: number): Tensor {
    const rowSize = this.shape.length ? shapeSize(this.shape.slice(1)) : 1;
    const s = Math.max(0, Math.min(start, this.shape[0] ?? 0));
    const e = Math.max(s, Math.min(end, this.shape[0] ?? 0));
    return new Tensor(this.data.subarray(s * rowSize, e * rowSize), [e - s, ...this.shape.slice(1)]);
  }

  /** Same data, another shape of the same size. */
  reshape(shape: Shape): Tensor {
    return new Tensor(this.data, shape);
  }

  /** The values, row-major (TF.js' dataSync; no copy: it is the tensor's own array). */
  dataSync(): Float32Array {
    return this.data;
  }

  /** The values as nested arrays, one level per axis (a number for a 0-D tensor). */
  toArray(): NestedNumbers {
    const build = (depth: number, at: number): NestedNumbers => {
      if (depth === this.shape.length) return this.data[at]!;
      const stride = shapeSize(this.shape.slice(depth + 1));
      return Array.from({ length: this.shape[depth]! }, (_, i) => build(depth + 1, at + i * stride));
    };
    return build(0, 0);
  }

  /**
   * Index of the largest value along the last axis, for each position of the other axes (one
   * per row of a [rows, classes] tensor); the first index wins a tie. Any rank from 1.
   */
  argMax(): Int32Array {
    const cols = this.shape[this.shape.length - 1];
    if (cols === undefined || cols === 0) throw new Error(`argMax: needs a tensor with a non-empty last axis, got shape [${this.shape.join(', ')}]`);
    const rows = this.size / cols;
    const out = new Int32Array(rows);
    for (let r = 0; r < rows; r++) {
      const at = r * cols;
      let best = 0;
      for (let c = 1; c < cols; c++) if (this.data[at + c]! > this.data[at + best]!) best = c;
      out[r] = best;
    }
    return out;
  }
}

/** Numbers nested to any depth, as `tensor()` takes them: [[0, 1], [1, 0]]. */
export type NestedNumbers = number | readonly NestedNumbers[];

/** What `tensor()` accepts: a Float32Array (wrapped), any other typed array or number array (copied), or nested number arrays. */
export type TensorLike = Float32Array | Float64Array | Int32Array | Int16Array | Int8Array | Uint32Array | Uint16Array | Uint8Array | Uint8ClampedArray | readonly NestedNumbers[];

/**
 * A tensor from values and, optionally, a shape. A Float32Array is wrapped without a copy;
 * other typed arrays and number arrays are copied. Nested arrays give their own shape
 * (`tensor([[0, 0], [0, 1]])` is 2×2); a ragged one, or one holding something other than
 * numbers, is an error naming where. With `shape`, the values (flattened) must fill it exactly.
 */
export function tensor(values: TensorLike, shape?: Shape): Tensor {
  if (values instanceof Float32Array) return new Tensor(values, shape ?? [values.length]);
  if (ArrayBuffer.isView(values)) return new Tensor(Float32Array.from(values as ArrayLike<number>), shape ?? [(values as ArrayLike<number>).length]);
  if (!Array.isArray(values)) throw new Error(`tensor: expected an array or a typed array, got ${values === null ? 'null' : typeof values}`);
  const inferred = nestedShape(values);
  const flat = new Float32Array(shapeSize(inferred));
  flatten(values, flat, 0, inferred, 0, []);
  if (shape !== undefined && shapeSize(shape) !== flat.length) {
    throw new Error(`tensor: shape [${shape.join(', ')}] needs ${shapeSize(shape)} values but the data holds ${flat.length} (shape [${inferred.join(', ')}])`);
  }
  return new Tensor(flat, shape ?? inferred);
}

/** The shape of nested arrays, read along the first element at each depth. */
function nestedShape(values: readonly NestedNumbers[]): number[] {
  const shape: number[] = [];
  let v: NestedNumbers = values;
  while (Array.isArray(v)) {
    shape.push(v.length);
    if (v.length === 0) break;
    v = (v as readonly NestedNumbers[])[0]!;
  }
  return shape;
}

/** Copies nested numbers into out in row-major order, checking every row against the shape; returns the next index. */
function flatten(v: NestedNumbers, out: Float32Array, at: number, shape: Shape, depth: number, path: number[]): number {
  const where = (): string => (path.length ? `row [${path.join('][')}]` : 'the top level');
  if (depth === shape.length) {
    if (typeof v !== 'number') throw new Error(`tensor: ${where()} holds ${Array.isArray(v) ? 'an array' : JSON.stringify(v)} where a number belongs (shape [${shape.join(', ')}])`);
    out[at] = v;
    return at + 1;
  }
  if (!Array.isArray(v)) throw new Error(`tensor: ${where()} holds ${JSON.stringify(v)} where an array of ${shape[depth]} belongs (shape [${shape.join(', ')}])`);
  if (v.length !== shape[depth]) throw new Error(`tensor: ragged array: ${where()} has ${v.length} values, but the first row at that depth has ${shape[depth]}`);
  for (let i = 0; i < v.length; i++) at = flatten((v as readonly NestedNumbers[])[i]!, out, at, shape, depth + 1, [...path, i]);
  return at;
}

/** Stacks tensors along the first (batch) axis; every other dimension must agree. */
export function concat(tensors: readonly Tensor[]): Tensor {
  if (tensors.length === 0) throw new Error('concat: no tensors given');
  const rest = tensors[0]!.shape.slice(1);
  for (const [i, t] of tensors.entries()) {
    if (t.shape.length !== rest.length + 1 || t.shape.some((d, k) => k > 0 && d !== rest[k - 1])) {
      throw new Error(`concat: tensor ${i} has shape [${t.shape.join(', ')}], but tensor 0 has [${tensors[0]!.shape.join(', ')}]: all but the first axis must agree`);
    }
  }
  const out = new Float32Array(tensors.reduce((n, t) => n + t.size, 0));
  let at = 0;
  for (const t of tensors) {
    out.set(t.data, at);
    at += t.size;
  }
  return new Tensor(out, [tensors.reduce((n, t) => n + t.shape[0]!, 0), ...rest]);
}

/**
 * One-hot encodes integer class labels into an [n, numClasses] tensor. Labels are a number
 * array, a typed array, or a Tensor of shape [n] or [n, 1] (as a model's sparse targets).
 */
export function oneHot(labels: ArrayLike<number> | Tensor, numClasses: number): Tensor {
  if (!Number.isInteger(numClasses) || numClasses <= 0) throw new Error(`oneHot: numClasses must be a positive integer, got ${numClasses}`);
  if (labels instanceof Tensor) {
    const [n, one, ...more] = labels.shape;
    if (n === undefined || more.length > 0 || (one !== undefined && one !== 1)) {
      throw new Error(`oneHot: labels must be a tensor of shape [n] or [n, 1], got [${labels.shape.join(', ')}]`);
    }
  }
  const values = labels instanceof Tensor ? labels.data : labels;
  const out = new Float32Array(values.length * numClasses);
  for (let i = 0; i < values.length; i++) {
    const k = values[i]!;
    if (!Number.isInteger(k) || k < 0 || k >= numClasses) throw new Error(`oneHot: label ${k} at index ${i} is not an integer in [0, ${numClasses})`);
    out[i * numClasses + k] = 1;
  }
  return new Tensor(out, [values.length, numClasses]);
}

/** tensor() that insists on a rank, as TF.js' tensor1d … tensor4d. */
function tensorOfRank(rank: number, values: TensorLike, shape: Shape | undefined): Tensor {
  const name = `tensor${rank}d`;
  if (shape !== undefined && shape.length !== rank) throw new Error(`${name}: shape [${shape.join(', ')}] has rank ${shape.length}, not ${rank}`);
  const t = tensor(values, shape);
  if (t.shape.length !== rank) throw new Error(`${name}: values of shape [${t.shape.join(', ')}] have rank ${t.shape.length}, not ${rank}; pass nested arrays of depth ${rank} or a shape`);
  return t;
}

/** A 1-D tensor: tensor1d([1, 2, 3]). */
export function tensor1d(values: TensorLike): Tensor {
  return tensorOfRank(1, values, undefined);
}

/** A 2-D tensor from nested rows, or flat values and a [rows, cols] shape. */
export function tensor2d(values: TensorLike, shape?: readonly [number, number]): Tensor {
  return tensorOfRank(2, values, shape);
}

/** A 3-D tensor from nested arrays, or flat values and a shape. */
export function tensor3d(values: TensorLike, shape?: readonly [number, number, number]): Tensor {
  return tensorOfRank(3, values, shape);
}

/** A 4-D tensor (a batch of NHWC images) from nested arrays, or flat values and a shape. */
export function tensor4d(values: TensorLike, shape?: readonly [number, number, number, number]): Tensor {
  return tensorOfRank(4, values, shape);
}

export function shapeSize(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Keras-style shape text: (None, 26, 26, 64). */
export function formatShape(shape: Shape, batch: number | null = null): string {
  const dims = [batch === null ? 'None' : String(batch), ...shape.map(String)];
  return `(${dims.join(', ')})`;
}
