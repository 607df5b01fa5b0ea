import { loadModel, type LoadOptions } from './model/load.js';
import type { Sequential } from './model/sequential.js';

export interface LoadPretrainedOptions extends LoadOptions {
  /**
   * Where the shipped model's model.json is served (browser). Default: next to this module in the
   * installed package (`<package>/pretrained/compact/model.json`), which works when the package
   * is served as files (a CDN, or node_modules served as-is). Bundlers copy only what the code
   * references, not the weights that model.json names: copy `pretrained/compact/` to your static
   * files and pass its URL here.
   */
  url?: string | URL;
}

/** The URL of the shipped model's model.json, relative to this module (dist/ is one level below the package root). */
export function pretrainedModelUrl(): URL {
  return new URL('../pretrained/compact/model.json', import.meta.url);
}

/**
 * The shipped digit recognizer (the `compact` architecture trained on MNIST; 28x28x1 input in
 * [0, 1], white ink on black, 10 softmax outputs). Browser entry: fetched by URL.
 */
export function loadPretrained(options: LoadPretrainedOptions = {}): Promise<Sequential> {
  const { url, ...load } = options;
  return loadModel(url ?? pretrainedModelUrl(), load);
}
