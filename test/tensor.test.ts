import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { concat, shufflePairs, splitPairs, tensor, Tensor } from '../src/index.js';

test('tensor() infers the shape of nested arrays (tensor([[0,0],[0,1]]) used to give NaNs)', () => {
  const t = tensor([[0, 0], [0, 1]]);
  assert.equal(t.shape, [2, 2]);
  assert.equal([...t.data], [0, 0, 0, 1]);
  const cube = tensor([[[1, 2], [3, 4]], [[5, 6], [7, 8]], [[9, 10], [11, 12]]]);
  assert.equal(cube.shape, [3, 2, 2]);
  assert.equal([...cube.dataSync()], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  assert.equal(tensor([1, 2, 3]).shape, [3]);
  assert.equal(tensor([]).shape, [0]);
  // A shape given with nested values reshapes them.
  assert.equal(tensor([[1, 2], [3, 4]], [4, 1]).shape, [4, 1]);
});

test('tensor() names a ragged row, a non-number and a shape that does not fit', () => {
  assert.throws(() => tensor([[1, 2], [3]]), /ragged array: row \[1\] has 1 values, but the first row at that depth has 2/);
  assert.throws(() => tensor([[[1], [2]], [[3], [4, 5]]]), /ragged array: row \[1\]\[1\] has 2 values/);
  assert.throws(() => tensor([[1, 2], [3, 'x' as never]]), /row \[1\]\[1\] holds "x" where a number belongs/);
  assert.throws(() => tensor([[1, 2], 3 as never]), /row \[1\] holds 3 where an array of 2 belongs/);
  assert.throws(() => tensor([[1, 2], [3, 4]], [3]), /shape \[3\] needs 3 values but the data holds 4/);
  assert.throws(() => tensor('abc' as never), /expected an array or a typed array, got string/);
});

test('tensor() wraps a Float32Array and copies other typed arrays', () => {
  const f = new Float32Array([1, 2, 3, 4]);
  assert.ok(tensor(f, [2, 2]).data === f, 'no copy');
  const bytes = tensor(new Uint8Array([0, 128, 255]));
  assert.equal([...bytes.data], [0, 128, 255]);
  assert.ok(bytes.data instanceof Float32Array);
  assert.equal([...tensor(new Int32Array([-3, 7]), [2, 1]).data], [-3, 7]);
});

test('toArray() gives nested arrays back; concat stacks along the batch axis', () => {
  const t = tensor([[[1, 2]], [[3, 4]]]);
  assert.equal(t.toArray(), [[[1, 2]], [[3, 4]]]);
  assert.equal(new Tensor(new Float32Array([5]), []).toArray(), 5);
  const both = concat([tensor([[1, 2]]), tensor([[3, 4], [5, 6]])]);
  assert.equal(both.shape, [3, 2]);
  assert.equal(both.toArray(), [[1, 2], [3, 4], [5, 6]]);
  assert.equal(both.argMax(), Int32Array.from([1, 1, 1]));
  assert.throws(() => concat([tensor([[1, 2]]), tensor([[1, 2, 3]])]), /tensor 1 has shape \[1, 3\], but tensor 0 has \[1, 2\]/);
  assert.throws(() => concat([]), /no tensors/);
});

test('shufflePairs keeps x and y rows together, seeded; splitPairs takes the last fraction', () => {
  const x = tensor([[0, 0], [1, 10], [2, 20], [3, 30], [4, 40]]);
  const y = tensor([0, 1, 2, 3, 4]);
  const [sx, sy] = shufflePairs(x, y, 3);
  const rows = sx.toArray() as number[][];
  assert.equal(rows.map((r) => r[0]), [...sy.data], 'rows moved together');
  assert.equal([...sy.data].sort(), [0, 1, 2, 3, 4]);
  assert.not.equal([...sy.data], [0, 1, 2, 3, 4], 'seed 3 shuffles these five rows');
  assert.equal([...shufflePairs(x, y, 3)[1].data], [...sy.data], 'same seed, same order');
  const { train, test: held } = splitPairs(x, y, 0.4);
  assert.equal([...train[1].data], [0, 1, 2]);
  assert.equal(held[0].toArray(), [[3, 30], [4, 40]]);
  assert.throws(() => splitPairs(x, y, 1), /fraction must be in \(0, 1\)/);
  assert.throws(() => shufflePairs(x, tensor([1, 2]), 1), /same number of rows/);
});

test.run();
