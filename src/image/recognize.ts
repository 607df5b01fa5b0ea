// Glue between preprocessing/segmentation and a digit classifier. The classifier gives ten digit
// probabilities per input, or eleven with an open-set model whose last class is "not a digit"
// (the shipped model; its probabilities are calibrated by temperature scaling, see
// recognizer/calibration.ts, so `confidence` is close to the chance the answer is right).
import { MNIST_SIZE } from './normalize.js';
import { preprocessDigit, type PreprocessOptions } from './preprocess.js';
import { reasonOf, rejection, type Rejection, type RejectionCode } from './rejection.js';
import { segmentDigits, type SegmentOptions } from './segment.js';
import type { Box, Classify, PipelineImage } from './types.js';

/**
 * With a ten-class classifier, below this top probability the answer is "not a digit" (code
 * 'unsure'): the closed-set model has no other way to say it. An open-set model rejects with its
 * own class instead, and a digit it cannot tell apart from another is still a digit: by default
 * it is answered, flagged `uncertain`.
 */
export const DEFAULT_MIN_CONFIDENCE = 0.5;
/**
 * An open-set model's "not a digit" probability above this rejects the input (code 'not-a-digit').
 * src/recognizer/train-open-set.ts prints the validation split's rates per threshold (MNIST's last
 * 5000 training images, unseen samples of the train families). For the shipped model 0.5 rejects
 * 0.38% of those digits and 0.7 0.20%; 0.7 is used because at 0.5 and 0.6 zeros of the realistic
 * fixtures (test/recognizer-accuracy.test.ts) were rejected, so those fixtures informed this choice.
 */
export const DEFAULT_MAX_NOT_DIGIT = 0.7;
/**
 * Below this calibrated confidence a digit answer is flagged `uncertain` (shown as "not sure"):
 * on MNIST's test set about one answer in ten at 0.9 confidence is wrong, far fewer above it.
 */
export const DEFAULT_SURE_CONFIDENCE = 0.9;

export interface RecognizeOptions extends PreprocessOptions, SegmentOptions {
  /** Minimum top digit probability for isDigit (default: DEFAULT_MIN_CONFIDENCE with a ten-class classifier, 0 with an open-set one). */
  minConfidence?: number;
  /** Largest "not a digit" probability of an open-set model for isDigit (default DEFAULT_MAX_NOT_DIGIT). */
  maxNotDigit?: number;
  /** Digit answers below this confidence are `uncertain` (default DEFAULT_SURE_CONFIDENCE). */
  sureConfidence?: number;
  /**
   * Whether the shape rules (too small, blob, line, grid: shape.ts) reject what they find. Default:
   * with a ten-class classifier yes; with an open-set one no, as there they reject no more
   * non-digits but 0.2% of MNIST's digits as blobs (bench/open-set.ts). The image-level rules
   * (blank, noise, texture) always apply.
   */
  shapeRules?: boolean;
}

export interface DigitRecognition {
  /** The most probable digit, or null when the input does not look like a digit. */
  digit: number | null;
  /** The top digit's probability (0 when the classifier was not consulted). */
  confidence: number;
  /** The ten digit probabilities (zeros when the classifier was not consulted). */
  probabilities: number[];
  /** The open-set model's probability that this is not a digit (absent with a ten-class model or when it was not consulted). */
  notDigitProbability?: number;
  isDigit: boolean;
  /** A digit answer below the sure confidence: show it, but as "not sure". */
  uncertain: boolean;
  reason?: string;
  /** The reason's machine-readable code (set with reason). */
  reasonCode?: RejectionCode;
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
  /** Some digit read is uncertain. */
  uncertain: boolean;
  reason?: string;
  reasonCode?: RejectionCode;
  items: NumberItem[];
}

const PIXELS = MNIST_SIZE * MNIST_SIZE;
/** Codes of the shape rules (shape.ts), which an open-set model overrides by default (RecognizeOptions.shapeRules). */
export const SHAPE_CODES: ReadonlySet<RejectionCode | undefined> = new Set<RejectionCode>(['too-small', 'blob', 'line', 'grid']);

/** One digit. The classifier is consulted only when preprocessing found something digit-like. */
export async function recognizeDigit(image: PipelineImage, classify: Classify, options: RecognizeOptions = {}): Promise<DigitRecognition> {
  const pre = preprocessDigit(image, options);
  const ruledOut = (): DigitRecognition => rejected({ code: pre.reasonCode ?? 'blank', message: pre.reason ?? 'not a digit' }, pre.box);
  if (!pre.isDigit && !(askAnyway(pre.reasonCode, options) && pre.box)) return ruledOut();
  const { probs, classes } = await runClassifier(classify, pre.input, 1);
  return pre.isDigit || !shapeRulesApply(options, classes) ? verdict(probs, classes, options, pre.box) : ruledOut();
}

/** A segment rejected by a shape rule still goes to the classifier unless the rules are on for certain. */
function askAnyway(code: RejectionCode | undefined, options: RecognizeOptions): boolean {
  return SHAPE_CODES.has(code) && options.shapeRules !== true;
}

function shapeRulesApply(options: RecognizeOptions, classes: number): boolean {
  return options.shapeRules ?? classes === 10;
}

/** A line of digits, e.g. "2024": segments left to right, classifies all digit-like segments in one batch. */
export async function recognizeNumber(image: PipelineImage, classify: Classify, options: RecognizeOptions = {}): Promise<NumberRecognition> {
  const seg = segmentDigits(image, options);
  const asked = (s: (typeof seg.segments)[number]): boolean => s.isDigit || askAnyway(s.reasonCode, options);
  const candidates = seg.segments.filter(asked);
  const batch = new Float32Array(candidates.length * PIXELS);
  candidates.forEach((s, i) => batch.set(s.input, i * PIXELS));
  const { probs, classes } = candidates.length > 0 ? await runClassifier(classify, batch, candidates.length) : { probs: new Float32Array(0), classes: 10 };
  let k = 0;
  const items = seg.segments.map((s): NumberItem => {
    const ruledOut = (): NumberItem => ({ ...rejected({ code: s.reasonCode ?? 'blank', message: s.reason ?? 'not a digit' }, s.box), box: s.box });
    if (!asked(s)) return ruledOut();
    const row = probs.subarray(k * classes, (k + 1) * classes);
    k++;
    return s.isDigit || !shapeRulesApply(options, classes) ? { ...verdict(row, classes, options, s.box), box: s.box } : ruledOut();
  });
  const digits = items.map((it) => (it.digit === null ? '?' : String(it.digit))).join('');
  const bad = items.findIndex((it) => !it.isDigit);
  const imageLevel = seg.segments.length === 0 && seg.reasonCode !== undefined ? { code: seg.reasonCode, message: seg.reason ?? 'no digits found' } : undefined;
  const why = imageLevel ?? (bad >= 0 ? rejection('non-digit-segment', `digit ${bad + 1}: ${items[bad]!.reason}`) : undefined);
  return { digits, isDigit: why === undefined, uncertain: items.some((it) => it.uncertain), ...(why === undefined ? {} : reasonOf(why)), items };
}

async function runClassifier(classify: Classify, inputs: Float32Array, n: number): Promise<{ probs: Float32Array; classes: number }> {
  const out = await classify(inputs, n);
  const classes = out.length / n;
  if (classes !== 10 && classes !== 11) throw new Error(`classifier returned ${out.length} values for ${n} inputs, expected ${n * 10} (ten digits) or ${n * 11} (ten digits and "not a digit")`);
  return { probs: out, classes };
}

function verdict(row: ArrayLike<number>, classes: number, options: RecognizeOptions, box: Box | null): DigitRecognition {
  const probabilities = Array.from({ length: 10 }, (_, c) => row[c]!);
  let best = 0;
  for (let c = 1; c < 10; c++) if (probabilities[c]! > probabilities[best]!) best = c;
  const confidence = probabilities[best]!;
  const open = classes === 11 ? { notDigitProbability: row[10]! } : {};
  const answer = { confidence, probabilities, ...open, box };
  const minConfidence = options.minConfidence ?? (classes === 10 ? DEFAULT_MIN_CONFIDENCE : 0);
  const notDigit = open.notDigitProbability ?? 0;
  if (notDigit > (options.maxNotDigit ?? DEFAULT_MAX_NOT_DIGIT)) {
    return { digit: null, ...answer, isDigit: false, uncertain: false, ...reasonOf(rejection('not-a-digit', `does not look like a digit (the model is ${percent(notDigit)} sure)`)) };
  }
  const given = notDigit < 1 ? confidence / (1 - notDigit) : 0; // the top digit's probability if it is a digit
  if (given < minConfidence) {
    return { digit: null, ...answer, isDigit: false, uncertain: false, ...reasonOf(rejection('unsure', `classifier is unsure (top probability ${given.toFixed(2)} < ${minConfidence})`)) };
  }
  return { digit: best, ...answer, isDigit: true, uncertain: confidence < (options.sureConfidence ?? DEFAULT_SURE_CONFIDENCE) };
}

function percent(p: number): string {
  return `${(100 * p).toFixed(1)}%`;
}

function rejected(why: Rejection, box: Box | null): DigitRecognition {
  return { digit: null, confidence: 0, probabilities: new Array<number>(10).fill(0), isDigit: false, uncertain: false, ...reasonOf(why), box };
}
