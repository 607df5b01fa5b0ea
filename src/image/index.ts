// Browser-safe image pipeline: no Node APIs and no decoders. In a browser, pass
// a canvas ImageData; in Node, import './node.js' for decodeImage.
export type { Box, Classify, GreyImage, PipelineImage, RgbaImage, ScaledGreyImage } from './types.js';
export { ImageDecodeError, type ImageDecodeErrorCode } from './errors.js';
export { DEFAULT_MAX_PIXELS, readImageHeader, sniffImageFormat, type ImageFormat, type ImageHeader } from './header.js';
export { toGrey } from './grey.js';
export { extractInk, type InkMap, type Polarity } from './ink.js';
export { analyzeImage, workingGrey, type Analysis, type AnalyzeOptions, type ImageStats } from './analyze.js';
export { MNIST_SIZE, normalizeDigit, type NormalizeOptions } from './normalize.js';
export { measureShape, shapeRejection, strokeRatio, type ShapeFeatures, type ShapeLimits } from './shape.js';
export { preprocessDigit, type PreprocessOptions, type PreprocessResult } from './preprocess.js';
export { segmentDigits, type DigitSegment, type SegmentOptions, type SegmentResult } from './segment.js';
export { reasonOf, rejection, type Rejection, type RejectionCode } from './rejection.js';
export {
  DEFAULT_MAX_NOT_DIGIT,
  DEFAULT_MIN_CONFIDENCE,
  DEFAULT_SURE_CONFIDENCE,
  recognizeDigit,
  recognizeNumber,
  type DigitRecognition,
  type NumberItem,
  type NumberRecognition,
  type RecognizeOptions,
} from './recognize.js';
// Teach it your handwriting: fine-tuning the recognizer on a person's few samples (issue 13).
export { personalize, type LabelledInputs, type PersonalizeOptions, type PersonalizeResult, type HeldOutScore } from '../recognizer/personalize.js';
export { replaySetFromIdx, REPLAY_FILES } from '../recognizer/replay-set.js';
export type { Pose } from '../recognizer/posed-copies.js';
