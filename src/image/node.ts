// Node entry of the image pipeline: everything browser-safe plus byte decoding.
export * from './index.js';
export { decodeImage, type DecodeOptions } from './decode.js';
// Image bytes → digits with a model: what `wasmnn predict` and the server answer.
export { modelClassifier, predictImage, type Prediction, type PredictOptions } from '../recognizer/prediction.js';
