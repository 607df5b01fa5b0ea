import { declaredInputShape, isObject } from '../layers/config.js';
// The barrel, not registry.js: importing it registers every layer class before a topology is read.
import { layerFromConfig, type Layer } from '../layers/index.js';

/** The Keras/TF.js `modelTopology` of a Sequential model. */
export function modelTopology(name: string, layers: readonly Layer[]): Record<string, unknown> {
  return {
    class_name: 'Sequential',
    config: {
      name,
      layers: layers.map((layer, i) => ({
        class_name: layer.className,
        config: {
          name: layer.name,
          trainable: layer.trainable,
          ...(i === 0 ? { batch_input_shape: [null, ...layer.inputShape] } : {}),
          dtype: 'float32',
          ...layer.getConfig(),
        },
      })),
    },
    keras_version: 'tfjs-layers 4.22.0',
    backend: 'tensor_flow.js',
  };
}

/**
 * Reads a Sequential topology as Keras or TF.js writes it: {class_name: 'Sequential',
 * config: {name, layers} | layers[]}, optionally wrapped in {model_config}. An InputLayer
 * entry only contributes its input shape.
 */
export function layersFromTopology(topology: unknown): { name: string; layers: Layer[] } {
  let t = topology;
  if (isObject(t) && isObject(t['model_config'])) t = t['model_config'];
  if (!isObject(t)) throw new Error('model topology: expected a JSON object');
  if (t['class_name'] !== 'Sequential') {
    throw new Error(`model topology: only Sequential models are supported, got class_name '${String(t['class_name'])}'`);
  }
  const config = t['config'];
  const entries = Array.isArray(config) ? config : isObject(config) ? config['layers'] : undefined;
  if (!Array.isArray(entries) || entries.length === 0) throw new Error('model topology: config.layers is missing or empty');
  const name = isObject(config) && typeof config['name'] === 'string' ? config['name'] : 'sequential';
  const layers: Layer[] = [];
  let pendingInputShape: number[] | undefined;
  entries.forEach((entry, i) => {
    if (isObject(entry) && entry['class_name'] === 'InputLayer') {
      pendingInputShape = isObject(entry['config']) ? (declaredInputShape(entry['config']) as number[] | undefined) : undefined;
      return;
    }
    if (pendingInputShape && isObject(entry) && isObject(entry['config']) && !declaredInputShape(entry['config'])) {
      entry = { ...entry, config: { ...entry['config'], batch_input_shape: [null, ...pendingInputShape] } };
    }
    pendingInputShape = undefined;
    layers.push(layerFromConfig(entry, i));
  });
  return { name, layers };
}
