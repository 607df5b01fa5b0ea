/** Shuffling and splitting (x, y) pairs of tensors together, row by row along the batch axis. Browser-safe. */
import { Random } from '../random.js';
import { shapeSize, Tensor } from '../tensor.js';

function checkPairs(x: Tensor, y: Tensor, what: string): number {
  const n = x.shape[0];
  if (n === undefined || y.shape[0] !== n) throw new Error(`${what}: x and y must have the same number of rows, got [${x.shape.join(', ')}] and [${y.shape.join(', ')}]`);
  return n;
}

function gather(t: Tensor, order: Int32Array): Tensor {
  const row = shapeSize(t.shape.slice(1));
  const out = new Float32Array(order.length * row);
  for (let i = 0; i < order.length; i++) out.set(t.data.subarray(order[i]! * row, (order[i]! + 1) * row), i * row);
  return new Tensor(out, [order.length, ...t.shape.slice(1)]);
}

/**
 * Copies of x and y with their rows in the same random order, drawn from `seed` (a number, or a
 * Random to continue its stream): the same seed gives the same order on every engine.
 */
export function shufflePairs(x: Tensor, y: Tensor, seed: number | Random): [Tensor, Tensor] {
  const n = checkPairs(x, y, 'shufflePairs');
  const rng = typeof seed === 'number' ? new Random(seed) : seed;
  const order = rng.shuffle(new Int32Array(n).map((_, i) => i));
  return [gather(x, order), gather(y, order)];
}

/**
 * Splits the pairs into the first rows and the last `fraction` of them (views, no copy), as
 * Keras' validationSplit takes the last samples: shuffle first if the rows are ordered.
 */
export function splitPairs(x: Tensor, y: Tensor, fraction: number): { train: [Tensor, Tensor]; test: [Tensor, Tensor] } {
  const n = checkPairs(x, y, 'splitPairs');
  if (!(fraction > 0 && fraction < 1)) throw new Error(`splitPairs: fraction must be in (0, 1), got ${fraction}`);
  const cut = Math.round(n * (1 - fraction));
  if (cut < 1 || cut >= n) throw new Error(`splitPairs: a fraction of ${fraction} of ${n} rows leaves one side empty`);
  return { train: [x.slice(0, cut), y.slice(0, cut)], test: [x.slice(cut, n), y.slice(cut, n)] };
}
