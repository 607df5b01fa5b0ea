// Glue between preprocessing/segmentation and a digit classifier.
import { MNIST_SIZE } from './normalize.js';
import { preprocessDigit, type PreprocessOptions } from './preprocess.js';
import { segmentDigits, type SegmentOptions } from './segment.js';
import type { Box, Classify, PipelineImage } from './types.js';

/** Below this top-class probability the answer is "not a digit". */
export const DEFAULT_MIN_CONFIDENCE = 0.5;

export interface RecognizeOptions extends PreprocessOptions, SegmentOptions {
  /** Minimum top-class probability for isDigit (default DEFAULT_MIN_CONFIDENCE). */
  minConfidence?: number;
}

export interface DigitRecognition {
  /** The most probable class, or null when the input does not look like a digit. */
  digit: number | null;
  /** Top-class probability (0 when the classifier was not consulted). */
  confidence: number;
  /** All ten class probabilities (zeros when the classifier was not consulted). */
  probabilities: number[];
  isDigit: boolean;
  reason?: string;
  /** Ink bounding box in original image pixels, null when there is no ink. */
  box: Box | null;
}

export interface NumberItem extends DigitRecognition {
  box: Box;
}

export interface NumberRecognition {
  /** One character per segment, left to right: the digit, or '?' for a segment that is not digit-like. */
  digits: string;
  isDigit: boolean;
  reason?: string;
  items: NumberItem[];
}

const PIXELS = MNIST_SIZE * MNIST_SIZE;

/**
 * One digit. The classifier is consulted only when preprocessing found something digit-like;
 * a confident answer below `minConfidence` still turns into isDigit false.
 */
export async function recognizeDigit(image: PipelineImage, classify: Classify, options: RecognizeOptions = {}): Promise<DigitRecognition> {
  const pre = preprocessDigit(image, options);
  if (!pre.isDigit) return rejected(pre.reason ?? 'not a digit', pre.box);
  const probs = await runClassifier(classify, pre.input, 1);
  return verdict(Array.from(probs), options.minConfidence ?? DEFAULT_MIN_CONFIDENCE, pre.box);
}

/** A line of digits, e.g. "2024": segments left to right, classifies all digit-like segments in one batch. */
export async function recognizeNumber(image: PipelineImage, classify: Classify, options: RecognizeOptions = {}): Promise<NumberRecognition> {
  const seg = segmentDigits(image, options);
  const candidates = seg.segments.filter((s) => s.isDigit);
  const batch = new Float32Array(candidates.length * PIXELS);
  candidates.forEach((s, i) => batch.set(s.input, i * PIXELS));
  const probs = candidates.length > 0 ? await runClassifier(classify, batch, candidates.length) : new Float32Array(0);
  const minConfidence = options.minConfidence ?? DEFAULT_MIN_CONFIDENCE;
  let k = 0;
  const items = seg.segments.map((s): NumberItem => {
    if (!s.isDigit) return { ...rejected(s.reason ?? 'not a digit', s.box), box: s.box };
    const row = Array.from(probs.subarray(k * 10, k * 10 + 10));
    k++;
    return { ...verdict(row, minConfidence, s.box), box: s.box };
  });
  const digits = items.map((it) => (it.digit === null ? '?' : String(it.digit))).join('');
  const bad = items.findIndex((it) => !it.isDigit);
  const reason = seg.reason ?? (bad >= 0 ? `digit ${bad + 1}: ${items[bad]!.reason}` : undefined);
  return { digits, isDigit: reason === undefined, ...(reason === undefined ? {} : { reason }), items };
}

async function runClassifier(classify: Classify, inputs: Float32Array, n: number): Promise<Float32Array> {
  const out = await classify(inputs, n);
  if (out.length !== n * 10) throw new Error(`classifier returned ${out.length} values for ${n} inputs, expected ${n * 10}`);
  return out;
}

function verdict(probabilities: number[], minConfidence: number, box: Box | null): DigitRecognition {
  let best = 0;
  for (let c = 1; c < 10; c++) if (probabilities[c]! > probabilities[best]!) best = c;
  const confidence = probabilities[best]!;
  if (confidence < minConfidence) {
    return { digit: null, confidence, probabilities, isDigit: false, reason: `classifier is unsure (top probability ${confidence.toFixed(2)} < ${minConfidence})`, box };
  }
  return { digit: best, confidence, probabilities, isDigit: true, box };
}

function rejected(reason: string, box: Box | null): DigitRecognition {
  return { digit: null, confidence: 0, probabilities: new Array<number>(10).fill(0), isDigit: false, reason, box };
}
