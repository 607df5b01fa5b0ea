/**
 * MNIST from the four raw IDX files: images become an NHWC float tensor in
 * [0, 1], labels a one-hot tensor. Browser-safe (fetch the files yourself);
 * in Node, `loadMnist` from mnist-node.ts also finds and gunzips the files.
 */
import { Tensor, oneHot } from '../tensor.js';
import { isGzip, parseIdx } from './idx.js';

export const MNIST_SIDE = 28;
export const MNIST_CLASSES = 10;

export interface MnistIdxFiles {
  trainImages: Uint8Array;
  trainLabels: Uint8Array;
  testImages: Uint8Array;
  testLabels: Uint8Array;
}

export interface MnistOptions {
  /** Keep only the first N training samples (all when omitted or larger than the set). */
  trainLimit?: number;
  /** Keep only the first N test samples (all when omitted or larger than the set). */
  testLimit?: number;
}

export interface MnistSplit {
  /** [n, 28, 28, 1], pixel / 255. */
  x: Tensor;
  /** [n, 10] one-hot. */
  y: Tensor;
  /** The class of each sample, 0-9. */
  labels: Uint8Array;
}

export interface Mnist {
  train: MnistSplit;
  test: MnistSplit;
}

/** Names used in error messages when the caller does not supply file names. */
export type MnistFileNames = Record<keyof MnistIdxFiles, string>;

const DEFAULT_NAMES: MnistFileNames = {
  trainImages: 'train images',
  trainLabels: 'train labels',
  testImages: 'test images',
  testLabels: 'test labels',
};

export function mnistFromIdx(files: MnistIdxFiles, options: MnistOptions = {}, names: MnistFileNames = DEFAULT_NAMES): Mnist {
  return {
    train: split(files.trainImages, files.trainLabels, names.trainImages, names.trainLabels, limitOf(options.trainLimit, 'trainLimit')),
    test: split(files.testImages, files.testLabels, names.testImages, names.testLabels, limitOf(options.testLimit, 'testLimit')),
  };
}

/** One split (images and labels IDX files) of an MNIST-format set; `limit` keeps the first rows. */
export function mnistSplitFromIdx(images: Uint8Array, labels: Uint8Array, limit: number | undefined, names: { images: string; labels: string }): MnistSplit {
  return split(images, labels, names.images, names.labels, limitOf(limit, 'limit'));
}

/** A split with no samples (what loadMnist returns for a split it was told to skip). */
export function emptyMnistSplit(): MnistSplit {
  return { x: new Tensor(new Float32Array(0), [0, MNIST_SIDE, MNIST_SIDE, 1]), y: new Tensor(new Float32Array(0), [0, MNIST_CLASSES]), labels: new Uint8Array(0) };
}

function limitOf(limit: number | undefined, what: string): number {
  if (limit === undefined) return Infinity;
  if (!Number.isInteger(limit) || limit < 0) throw new Error(`MNIST: ${what} must be a non-negative integer, got ${limit}`);
  return limit;
}

function split(imageBytes: Uint8Array, labelBytes: Uint8Array, imagesName: string, labelsName: string, limit: number): MnistSplit {
  for (const [bytes, name] of [[imageBytes, imagesName], [labelBytes, labelsName]] as const) {
    if (isGzip(bytes)) {
      throw new Error(`${name}: is gzip-compressed; decompress it first (loadMnist does this in Node; in browsers use DecompressionStream('gzip'))`);
    }
  }
  const images = parseIdx(imageBytes, imagesName);
  const labels = parseIdx(labelBytes, labelsName);

  const [count, height, width] = images.shape;
  if (images.dtype !== 'uint8' || images.shape.length !== 3 || height !== MNIST_SIDE || width !== MNIST_SIDE) {
    throw new Error(
      `${imagesName}: expected uint8 images of shape [n, ${MNIST_SIDE}, ${MNIST_SIDE}], got ${images.dtype} [${images.shape.join(', ')}]`,
    );
  }
  if (labels.dtype !== 'uint8' || labels.shape.length !== 1) {
    throw new Error(`${labelsName}: expected uint8 labels of shape [n], got ${labels.dtype} [${labels.shape.join(', ')}]`);
  }
  if (labels.shape[0] !== count) {
    throw new Error(`${imagesName} holds ${count} images but ${labelsName} holds ${labels.shape[0]} labels`);
  }

  const n = Math.min(count!, limit);
  const classes = Uint8Array.from((labels.data as Uint8Array).subarray(0, n));
  for (let i = 0; i < n; i++) {
    if (classes[i]! >= MNIST_CLASSES) throw new Error(`${labelsName}: label ${classes[i]} at index ${i} is not a digit 0-9`);
  }

  const pixels = images.data as Uint8Array;
  const size = n * MNIST_SIDE * MNIST_SIDE;
  const x = new Float32Array(size);
  for (let i = 0; i < size; i++) x[i] = pixels[i]! / 255;

  return { x: new Tensor(x, [n, MNIST_SIDE, MNIST_SIDE, 1]), y: oneHot(classes, MNIST_CLASSES), labels: classes };
}
