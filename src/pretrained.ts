import { fileURLToPath } from 'node:url';
import { loadModel } from './model/load.js';
import type { Sequential } from './model/sequential.js';
import type { LoadPretrainedOptions } from './pretrained-url.js';

/**
 * The pretrained default model shipped in the package (`pretrained/compact/`, trained by `wasmnn train`),
 * so `wasmnn predict` and `wasmnn serve` work without training first. Resolved from this file:
 * src/ (under tsx) and dist/ (built) are both one level below the package root.
 */
export function defaultModelDir(): string {
  return fileURLToPath(new URL('../pretrained/compact/', import.meta.url));
}

/**
 * The shipped digit recognizer (the `compact` architecture trained on MNIST; 28x28x1 input in
 * [0, 1], white ink on black, 11 softmax outputs: the ten digits, then "not a digit"). Node entry: read from the installed package
 * (or from `url`, a directory, model.json path or http(s) URL).
 */
export function loadPretrained(options: LoadPretrainedOptions = {}): Promise<Sequential> {
  const { url, ...load } = options;
  return loadModel(url ?? defaultModelDir(), load);
}
