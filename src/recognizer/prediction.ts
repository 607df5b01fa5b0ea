/**
 * Image bytes → the prediction JSON that `wasmnn predict --json` prints and
 * `POST /api/predict` returns, plus the model-backed classifier both use.
 */
import { decodeImage, MNIST_SIZE, recognizeDigit, recognizeNumber, sniffImageFormat } from '../image/node.js';
import type { Box, Classify, DigitRecognition, PipelineImage, RecognizeOptions, RejectionCode } from '../image/node.js';
import type { Sequential } from '../model/sequential.js';
import { Tensor } from '../tensor.js';

/** One digit: the image pipeline's recognition, rounded for JSON. */
export type DigitPrediction = DigitRecognition;

export interface NumberPrediction {
  /** The digits left to right, '?' for a mark that is not a digit. */
  digits: string;
  /** The lowest confidence among the digits (0 when nothing was found). */
  confidence: number;
  /** One row of ten probabilities per digit, left to right. */
  probabilities: number[][];
  isDigit: boolean;
  /** Some digit read is below the sure confidence. */
  uncertain: boolean;
  reason?: string;
  reasonCode?: RejectionCode;
  items: DigitPrediction[];
}

export interface ImageInfo {
  format: 'png' | 'jpeg';
  width: number;
  height: number;
}

export type Prediction = (DigitPrediction | NumberPrediction) & { image: ImageInfo };

export interface PredictOptions {
  /** Read a line of digits (recognizeNumber) instead of one digit. */
  multi?: boolean;
  /** Refuse images with more pixels than this (checked from the header, before decoding). */
  maxPixels?: number;
  /** Thresholds and rules of the recognizer (defaults: recognize.ts). */
  recognize?: RecognizeOptions;
  /** How to decode (default: decodeImage inline); the server decodes large images on a thread. */
  decode?: (bytes: Uint8Array, maxPixels: number | undefined) => PipelineImage | Promise<PipelineImage>;
}

/** Decodes, preprocesses and classifies one image; throws ImageDecodeError for bytes that are not a valid image. */
export async function predictImage(bytes: Uint8Array, classify: Classify, options: PredictOptions = {}): Promise<Prediction> {
  const image = options.decode ? await options.decode(bytes, options.maxPixels) : decodeImage(bytes, options.maxPixels === undefined ? {} : { maxPixels: options.maxPixels });
  const info: ImageInfo = { format: sniffImageFormat(bytes)!, width: image.width, height: image.height };
  if (options.multi) {
    const r = await recognizeNumber(image, classify, options.recognize);
    const items = r.items.map(digitJson);
    const confidence = items.length === 0 ? 0 : Math.min(...items.map((it) => it.confidence));
    return {
      digits: r.digits,
      confidence,
      probabilities: items.map((it) => it.probabilities),
      isDigit: r.isDigit,
      uncertain: r.uncertain,
      ...(r.reason === undefined ? {} : { reason: r.reason, reasonCode: r.reasonCode }),
      items,
      image: info,
    };
  }
  return { ...digitJson(await recognizeDigit(image, classify, options.recognize)), image: info };
}

function digitJson(r: DigitRecognition): DigitPrediction {
  return {
    digit: r.digit,
    confidence: round6(r.confidence),
    probabilities: r.probabilities.map(round6),
    ...(r.notDigitProbability === undefined ? {} : { notDigitProbability: round6(r.notDigitProbability) }),
    isDigit: r.isDigit,
    uncertain: r.uncertain,
    ...(r.reason === undefined ? {} : { reason: r.reason, reasonCode: r.reasonCode }),
    box: r.box,
  };
}

/** Six decimals keep the JSON readable and lose nothing a reader could see. */
function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

const PIXELS = MNIST_SIZE * MNIST_SIZE;

interface Pending {
  inputs: Float32Array;
  n: number;
  resolve: (probs: Float32Array) => void;
  reject: (err: unknown) => void;
}

/**
 * The model as the image pipeline's classifier. Calls that arrive in the same turn of the
 * event loop (concurrent HTTP requests) are stacked into one [n, 28, 28, 1] batch and one
 * model.predict, which costs much less than n single-image calls.
 */
export function modelClassifier(model: Sequential, maxBatch = 64): Classify {
  let queue: Pending[] = [];
  const flush = async (): Promise<void> => {
    const jobs = queue;
    queue = [];
    const n = jobs.reduce((sum, j) => sum + j.n, 0);
    const x = new Float32Array(n * PIXELS);
    let row = 0;
    for (const j of jobs) {
      x.set(j.inputs.subarray(0, j.n * PIXELS), row * PIXELS);
      row += j.n;
    }
    try {
      const out = (await model.predict(new Tensor(x, [n, MNIST_SIZE, MNIST_SIZE, 1]), { batchSize: maxBatch })).data;
      const classes = out.length / Math.max(n, 1);
      row = 0;
      for (const j of jobs) {
        j.resolve(out.slice(row * classes, (row + j.n) * classes));
        row += j.n;
      }
    } catch (err) {
      for (const j of jobs) j.reject(err);
    }
  };
  return (inputs, n) =>
    new Promise<Float32Array>((resolve, reject) => {
      queue.push({ inputs, n, resolve, reject });
      if (queue.length === 1) setImmediate(() => void flush());
    });
}
