/**
 * How the recognizer does as a whole (image pipeline + classifier + decision rule): the share of
 * non-digits of each family it rejects, and the share of MNIST digits it rejects or misreads,
 * with the confidences it gave (for calibration error). The bench and the tests both use it.
 */
import { recognizeDigit, type DigitRecognition, type RecognizeOptions } from '../image/recognize.js';
import { MNIST_SIZE } from '../image/normalize.js';
import type { Classify, RgbaImage } from '../image/types.js';
import { nonDigitSample, type NonDigitFamily } from '../synthetic/nondigits.js';

const PIXELS = MNIST_SIZE * MNIST_SIZE;
/** Images recognised concurrently, so a batching classifier (modelClassifier) sees them as one batch. */
const CHUNK = 128;

export interface FamilyRejection {
  family: NonDigitFamily;
  samples: number;
  rejected: number;
  /** How often each rejection code fired. */
  codes: Record<string, number>;
}

/** Samples firstIndex.. of each family (seed `seed`) through recognizeDigit. */
export async function nonDigitRejection(
  classify: Classify,
  seed: number,
  families: readonly NonDigitFamily[],
  perFamily: number,
  options: RecognizeOptions = {},
  firstIndex = 0,
): Promise<FamilyRejection[]> {
  const out: FamilyRejection[] = [];
  for (const family of families) {
    const results = await inChunks(perFamily, (i) => {
      const s = nonDigitSample(seed, family, firstIndex + i);
      return recognizeDigit({ width: s.width, height: s.height, data: s.rgba }, classify, options);
    });
    const codes: Record<string, number> = {};
    for (const r of results) if (!r.isDigit) codes[r.reasonCode ?? 'unknown'] = (codes[r.reasonCode ?? 'unknown'] ?? 0) + 1;
    out.push({ family, samples: results.length, rejected: results.filter((r) => !r.isDigit).length, codes });
  }
  return out;
}

export interface DigitOutcomes {
  samples: number;
  /** isDigit false. */
  rejected: number;
  /** Accepted but read as another digit. */
  wrong: number;
  /** Accepted and flagged uncertain. */
  uncertain: number;
  /** Per image: the confidence given (0 when rejected before the classifier) and whether the digit read was right. */
  confidence: Float64Array;
  correct: Uint8Array;
}

/** MNIST images (n × 784 floats, ink bright) drawn as 28x28 white-on-black pictures, through recognizeDigit. */
export async function mnistOutcomes(classify: Classify, images: Float32Array, labels: ArrayLike<number>, options: RecognizeOptions = {}): Promise<DigitOutcomes> {
  const n = labels.length;
  const results = await inChunks(n, (i) => recognizeDigit(mnistPicture(images, i), classify, options));
  const confidence = new Float64Array(n);
  const correct = new Uint8Array(n);
  let rejected = 0, wrong = 0, uncertain = 0;
  results.forEach((r, i) => {
    confidence[i] = r.confidence;
    const best = r.probabilities.indexOf(Math.max(...r.probabilities));
    correct[i] = r.confidence > 0 && best === labels[i] ? 1 : 0;
    if (!r.isDigit) rejected++;
    else if (r.digit !== labels[i]) wrong++;
    if (r.uncertain) uncertain++;
  });
  return { samples: n, rejected, wrong, uncertain, confidence, correct };
}

function mnistPicture(images: Float32Array, i: number): RgbaImage {
  const data = new Uint8Array(PIXELS * 4);
  for (let p = 0; p < PIXELS; p++) {
    data[4 * p] = data[4 * p + 1] = data[4 * p + 2] = Math.round(255 * images[i * PIXELS + p]!);
    data[4 * p + 3] = 255;
  }
  return { width: MNIST_SIZE, height: MNIST_SIZE, data };
}

async function inChunks(n: number, one: (i: number) => Promise<DigitRecognition>): Promise<DigitRecognition[]> {
  const out: DigitRecognition[] = [];
  for (let at = 0; at < n; at += CHUNK) out.push(...(await Promise.all(Array.from({ length: Math.min(CHUNK, n - at) }, (_, k) => one(at + k)))));
  return out;
}
