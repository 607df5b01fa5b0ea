import { encodeIdx } from '../../src/data/idx-encode.js';

export { encodeIdx };

/** A tiny MNIST-format set: n 28x28 images where image i is filled with pixel value i*10, and the given labels. */
export function tinyMnist(labels: number[]): { images: Uint8Array; labels: Uint8Array } {
  const n = labels.length;
  const pixels = new Uint8Array(n * 28 * 28);
  for (let i = 0; i < n; i++) pixels.fill((i * 10) % 256, i * 784, (i + 1) * 784);
  return { images: encodeIdx(0x08, [n, 28, 28], pixels), labels: encodeIdx(0x08, [n], labels) };
}
