/**
 * Writes the replay set the teach mode fine-tunes with (replay-set.ts) next to the shipped model:
 * `perDigit` MNIST training images of each digit and `perFamily` non-digits of each family the model trained on,
 * all through the recognizer's preprocessing as the shipped model was trained (train-open-set.ts),
 * as gzipped IDX files. Nothing from MNIST's test set. Deterministic for a seed.
 *
 *   npx tsx src/recognizer/make-replay-set.ts --out pretrained/compact
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { encodeIdx } from '../data/idx-encode.js';
import { loadMnist } from '../index.node.js';
import { parseTrainFamilies, TRAIN_FAMILIES, type TrainFamily } from '../synthetic/nondigits.js';
import { mnistThroughPipeline, nonDigitInputs, NOT_A_DIGIT } from './open-set-data.js';
import { REPLAY_FILES } from './replay-set.js';

const PIXELS = 784;

export interface ReplaySetOptions {
  perDigit: number;
  perFamily: number;
  seed: number;
  /** The families the model trained on (its training.json), default TRAIN_FAMILIES. */
  families?: readonly TrainFamily[];
}

/** The replay set as uint8 pictures (ink bright) and labels, digits first. */
export async function makeReplaySet(o: ReplaySetOptions): Promise<{ pictures: Uint8Array; labels: Uint8Array }> {
  const { train } = await loadMnist({ only: 'train' });
  // A seeded pick of perDigit images of each digit, spread over the whole training set.
  const picked: number[] = [];
  const taken = new Array<number>(10).fill(0);
  const stride = 7919; // prime, so the walk visits every index once
  for (let k = 0, i = o.seed % train.labels.length; k < train.labels.length && picked.length < 10 * o.perDigit; k++, i = (i + stride) % train.labels.length) {
    const d = train.labels[i]!;
    if (taken[d]! < o.perDigit) {
      taken[d]!++;
      picked.push(i);
    }
  }
  const images = new Float32Array(picked.length * PIXELS);
  picked.forEach((i, r) => images.set(train.x.data.subarray(i * PIXELS, (i + 1) * PIXELS), r * PIXELS));
  const digits = mnistThroughPipeline(images, picked.length);
  // Indices far past those train-open-set.ts trained on: new samples of the same families.
  const others = nonDigitInputs(o.seed, o.families ?? TRAIN_FAMILIES, o.perFamily, 1_000_000);
  const n = picked.length + others.families.length;
  const pictures = new Uint8Array(n * PIXELS);
  const all = [digits.inputs, others.inputs];
  let at = 0;
  for (const inputs of all) for (const v of inputs) pictures[at++] = Math.round(255 * Math.min(1, Math.max(0, v)));
  const labels = new Uint8Array(n);
  picked.forEach((i, r) => (labels[r] = train.labels[i]!));
  labels.fill(NOT_A_DIGIT, picked.length);
  return { pictures, labels };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { out: { type: 'string', default: 'pretrained/compact' }, 'per-digit': { type: 'string', default: '40' }, 'per-family': { type: 'string', default: '12' }, seed: { type: 'string', default: '1' } },
  });
  const dir = resolve(values.out!);
  // The non-digits of the families the model next to it trained on.
  const training = JSON.parse(await readFile(join(dir, 'training.json'), 'utf8')) as { families: string[] };
  const o = { perDigit: Number(values['per-digit']), perFamily: Number(values['per-family']), seed: Number(values.seed), families: parseTrainFamilies(training.families.join(',')) };
  const { pictures, labels } = await makeReplaySet(o);
  const n = labels.length;
  await writeFile(join(dir, REPLAY_FILES.images), gzipSync(encodeIdx(0x08, [n, 28, 28], pictures), { level: 9 }));
  await writeFile(join(dir, REPLAY_FILES.labels), gzipSync(encodeIdx(0x08, [n], labels), { level: 9 }));
  console.log(`wrote ${n} samples (${10 * o.perDigit} digits, ${n - 10 * o.perDigit} non-digits) to ${dir}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
