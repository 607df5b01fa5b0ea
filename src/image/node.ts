// Node entry of the image pipeline: everything browser-safe plus byte decoding.
export * from './index.js';
export { decodeImage, type DecodeOptions } from './decode.js';
