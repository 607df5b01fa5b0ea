import type { Layer } from './layer.js';
import { isObject, type Config } from './config.js';

/** Rebuilds a layer from its Keras config; `where` names the layer in error messages. */
export type LayerFromConfig = (config: Config, where: string) => Layer;

// A Map, not an object: a class_name such as '__proto__' or 'toString' must not find anything.
const registry = new Map<string, LayerFromConfig>();

/**
 * Makes a layer class loadable from model files. Each layer file registers itself under its
 * Keras class name (and any alias Keras also writes, e.g. MaxPool2D for MaxPooling2D), as
 * tfjs-layers does with registerClass: nothing else lists the layers.
 */
export function registerLayer(className: string, fromConfig: LayerFromConfig, aliases: readonly string[] = []): void {
  for (const name of [className, ...aliases]) {
    if (registry.has(name)) throw new Error(`registerLayer: '${name}' is already registered`);
    registry.set(name, fromConfig);
  }
}

/** How a registered class is rebuilt from its config (model/bn-fold.ts copies a layer with it). */
export function registeredLayer(className: string): LayerFromConfig | undefined {
  return registry.get(className);
}

export function supportedLayerClasses(): string[] {
  return [...registry.keys()];
}

/**
 * Rebuilds a layer from its Keras/TF.js serialized form ({class_name, config}).
 * Anything wasmnn cannot compute exactly the way Keras does is refused with the reason.
 */
export function layerFromConfig(entry: unknown, index: number): Layer {
  if (!isObject(entry) || typeof entry['class_name'] !== 'string' || !isObject(entry['config'])) {
    throw new Error(`model topology: layer #${index} is not of the form {class_name, config}`);
  }
  const className = entry['class_name'];
  const config = entry['config'];
  const where = `layer #${index} '${String(config['name'] ?? className)}' (${className})`;
  const build = registry.get(className);
  if (!build) throw new Error(`unsupported layer class '${className}' in ${where}; wasmnn supports ${supportedLayerClasses().join(', ')}`);
  if (config['data_format'] !== undefined && config['data_format'] !== null && config['data_format'] !== 'channels_last') {
    throw new Error(`${where}: data_format '${String(config['data_format'])}' is not supported (only channels_last)`);
  }
  if (config['trainable'] !== undefined && typeof config['trainable'] !== 'boolean') {
    throw new Error(`${where}: config.trainable must be true or false, got ${JSON.stringify(config['trainable'])}`);
  }
  return build(config, where);
}

/**
 * The prefix of a layer's default name, as Keras derives it from the class name:
 * Conv2D → conv2d, MaxPooling2D → max_pooling2d, BatchNormalization → batch_normalization,
 * LeakyReLU → leaky_re_lu.
 */
export function kerasNamePrefix(className: string): string {
  return className
    .replace(/(.)([A-Z][a-z0-9]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}
