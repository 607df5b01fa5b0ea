/**
 * The replay set personalize mixes into fine-tuning: a few hundred MNIST training digits and
 * non-digits, already through the recognizer's preprocessing, shipped next to the pretrained model
 * as two gzipped IDX files (make-replay-set.ts writes them). Browser-safe: gunzips with
 * DecompressionStream, which Node ≥ 18 and every current browser have.
 */
import { MNIST_SIZE } from '../image/normalize.js';
import { isGzip, parseIdx } from '../data/idx.js';
import type { LabelledInputs } from './personalize.js';

/** File names of the replay set in the pretrained model's directory. */
export const REPLAY_FILES = { images: 'replay-images.idx.gz', labels: 'replay-labels.idx.gz' } as const;

/** images: IDX uint8 [n, 28, 28] (ink bright, 255 = 1.0); labels: IDX uint8 [n] (10 = not a digit). Either may be gzipped. */
export async function replaySetFromIdx(images: Uint8Array, labels: Uint8Array): Promise<LabelledInputs> {
  const pictures = parseIdx(await gunzipped(images), `replay set ${REPLAY_FILES.images}`);
  const classes = parseIdx(await gunzipped(labels), `replay set ${REPLAY_FILES.labels}`);
  const [n, h, w] = pictures.shape;
  if (pictures.dtype !== 'uint8' || pictures.shape.length !== 3 || h !== MNIST_SIZE || w !== MNIST_SIZE) {
    throw new Error(`replay set ${REPLAY_FILES.images}: expected uint8 images of shape [n, 28, 28], got ${pictures.dtype} [${pictures.shape.join(', ')}]`);
  }
  if (classes.dtype !== 'uint8' || classes.shape.length !== 1 || classes.shape[0] !== n) {
    throw new Error(`replay set ${REPLAY_FILES.labels}: expected ${n} uint8 labels (one per image), got ${classes.dtype} [${classes.shape.join(', ')}]`);
  }
  const inputs = new Float32Array(pictures.data.length);
  for (let i = 0; i < inputs.length; i++) inputs[i] = pictures.data[i]! / 255;
  return { inputs, labels: classes.data as Uint8Array };
}

async function gunzipped(bytes: Uint8Array): Promise<Uint8Array> {
  if (!isGzip(bytes)) return bytes;
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
