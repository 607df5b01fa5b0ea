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

  /** Index of the largest value in each row of a 2-D tensor. */
  argMax(): Int32Array {
    if (this.shape.length !== 2) throw new Error(`argMax needs a 2-D tensor, got shape [${this.shape.join(', ')}]`);
    const [rows, cols] = this.shape as [number, number];
    const out = new Int32Array(rows);
    for (let r = 0; r < rows; r++) {
      let best = 0;
      for (let c = 1; c < cols; c++) if (this.data[r * cols + c]! > this.data[r * cols + best]!) best = c;
      out[r] = best;
    }
    return out;
  }
}

/** Wraps data (copying only plain number arrays) as a tensor of the given shape. */
export function tensor(data: Float32Array | ArrayLike<number>, shape?: Shape): Tensor {
  const arr = data instanceof Float32Array ? data : Float32Array.from(data as ArrayLike<number>);
  return new Tensor(arr, shape ?? [arr.length]);
}

/** One-hot encodes integer class labels into an [n, numClasses] tensor. */
export function oneHot(labels: ArrayLike<number>, numClasses: number): Tensor {
  const out = new Float32Array(labels.length * numClasses);
  for (let i = 0; i < labels.length; i++) {
    const k = labels[i]!;
    if (!Number.isInteger(k) || k < 0 || k >= numClasses) throw new Error(`oneHot: label ${k} at index ${i} is not an integer in [0, ${numClasses})`);
    out[i * numClasses + k] = 1;
  }
  return new Tensor(out, [labels.length, numClasses]);
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
