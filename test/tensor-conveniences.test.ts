import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { oneHot, tensor, tensor1d, tensor2d, tensor3d, tensor4d, Tensor } from '../src/index.js';

test('argMax along the last axis at any rank; the first index wins a tie', () => {
  assert.equal(tensor([3, 9, 9, 1]).argMax(), Int32Array.from([1]));
  assert.equal(tensor([[0.1, 0.7, 0.2], [5, -1, 5]]).argMax(), Int32Array.from([1, 0]));
  // [2, 2, 3]: one index per (i, j)
  const t = tensor([[[1, 2, 3], [9, 0, 0]], [[0, 0, -1], [-3, -2, -5]]]);
  assert.equal(t.argMax(), Int32Array.from([2, 0, 0, 1]));
  assert.equal(tensor([[1], [2]]).argMax(), Int32Array.from([0, 0]));
  assert.equal(new Tensor(new Float32Array(0), [0, 4]).argMax(), new Int32Array(0));
  assert.throws(() => new Tensor(new Float32Array([1]), []).argMax(), /argMax: needs a tensor with a non-empty last axis, got shape \[\]/);
  assert.throws(() => new Tensor(new Float32Array(0), [2, 0]).argMax(), /non-empty last axis, got shape \[2, 0\]/);
});

test('oneHot takes arrays, typed arrays and label tensors of shape [n] or [n, 1]', () => {
  const expected = [[0, 1, 0], [1, 0, 0], [0, 0, 1]];
  assert.equal(oneHot([1, 0, 2], 3).toArray(), expected);
  assert.equal(oneHot(Uint8Array.from([1, 0, 2]), 3).toArray(), expected);
  assert.equal(oneHot(tensor([1, 0, 2]), 3).toArray(), expected);
  assert.equal(oneHot(tensor([[1], [0], [2]]), 3).toArray(), expected);
  // argMax undoes it
  assert.equal(oneHot([2, 2, 0, 1], 4).argMax(), Int32Array.from([2, 2, 0, 1]));
});

test('oneHot names a bad depth, a label out of range and a label tensor of the wrong shape', () => {
  assert.throws(() => oneHot([0, 1], 0), /oneHot: numClasses must be a positive integer, got 0/);
  assert.throws(() => oneHot([0, 1], 2.5), /numClasses must be a positive integer, got 2.5/);
  assert.throws(() => oneHot([0, 3], 3), /oneHot: label 3 at index 1 is not an integer in \[0, 3\)/);
  assert.throws(() => oneHot([0, -1], 3), /label -1 at index 1/);
  assert.throws(() => oneHot([0.5], 3), /label 0.5 at index 0/);
  assert.throws(() => oneHot(tensor([[0, 1], [1, 0]]), 2), /labels must be a tensor of shape \[n\] or \[n, 1\], got \[2, 2\]/);
  assert.throws(() => oneHot(new Tensor(new Float32Array([1]), []), 2), /got \[\]/);
});

test('tensor1d … tensor4d check the rank of nested values or of the shape', () => {
  assert.equal(tensor1d([1, 2]).shape, [2]);
  assert.equal(tensor2d([[1, 2, 3], [4, 5, 6]]).shape, [2, 3]);
  assert.equal(tensor2d([1, 2, 3, 4, 5, 6], [3, 2]).toArray(), [[1, 2], [3, 4], [5, 6]]);
  assert.equal(tensor3d([[[1], [2]]]).shape, [1, 2, 1]);
  const images = tensor4d(new Float32Array(2 * 3 * 3 * 1), [2, 3, 3, 1]);
  assert.equal(images.shape, [2, 3, 3, 1]);
  assert.throws(() => tensor2d([1, 2, 3]), /tensor2d: values of shape \[3\] have rank 1, not 2; pass nested arrays of depth 2 or a shape/);
  assert.throws(() => tensor2d([1, 2, 3, 4], [4] as never), /tensor2d: shape \[4\] has rank 1, not 2/);
  assert.throws(() => tensor4d([[[1]]]), /tensor4d: values of shape \[1, 1, 1\] have rank 3, not 4/);
  assert.throws(() => tensor2d([1, 2, 3], [2, 2]), /tensor: shape \[2, 2\] needs 4 values but the data holds 3/);
  assert.throws(() => tensor1d([[1, 2]]), /tensor1d: values of shape \[1, 2\] have rank 2, not 1/);
});

test.run();
