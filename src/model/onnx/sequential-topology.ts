/**
 * Reads the layer list of a Sequential modelTopology (Keras/TF.js JSON: `{class_name: 'Sequential',
 * config: {layers: [...]}}`, the older `config: [...]`, or wrapped in `model_config` as converted
 * Keras files are) and the per-sample input shape it declares.
 */
import type { KerasLayer } from './graph-builder.js';

export interface SequentialTopology {
  name: string;
  inputShape: number[];
  layers: KerasLayer[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function readSequentialTopology(topology: unknown): SequentialTopology {
  let model = topology;
  if (isObject(model) && isObject(model['model_config'])) model = model['model_config'];
  if (!isObject(model)) throw new Error('toOnnx: modelTopology must be a JSON object');
  if (model['class_name'] !== 'Sequential') {
    throw new Error(`toOnnx: only Sequential models can be exported; modelTopology.class_name is ${JSON.stringify(model['class_name'])}`);
  }
  const config = model['config'];
  const list = Array.isArray(config) ? config : isObject(config) ? config['layers'] : undefined;
  if (!Array.isArray(list)) throw new Error('toOnnx: modelTopology.config has no layers array');
  const name = isObject(config) && typeof config['name'] === 'string' ? config['name'] : 'sequential';

  let inputShape: number[] | undefined;
  const layers: KerasLayer[] = [];
  list.forEach((entry: unknown, i) => {
    if (!isObject(entry) || typeof entry['class_name'] !== 'string' || !isObject(entry['config'])) {
      throw new Error(`toOnnx: modelTopology layer ${i} must be an object with class_name and config`);
    }
    const layerConfig = entry['config'];
    const className = entry['class_name'];
    const layerName = layerConfig['name'];
    if (typeof layerName !== 'string' || layerName === '') throw new Error(`toOnnx: modelTopology layer ${i} (${className}) has no name`);
    inputShape ??= declaredInputShape(layerConfig, `layer '${layerName}' (${className})`);
    if (className !== 'InputLayer') layers.push({ className, name: layerName, config: layerConfig });
  });
  if (!inputShape) throw new Error('toOnnx: the model declares no input shape (batch_input_shape of its first layer)');
  if (layers.length === 0) throw new Error('toOnnx: the model has no layers');
  return { name, inputShape, layers };
}

function declaredInputShape(config: Record<string, unknown>, where: string): number[] | undefined {
  const batchShape = config['batch_input_shape'] ?? config['batch_shape'];
  const shape = Array.isArray(batchShape) ? batchShape.slice(1) : config['input_shape'];
  if (shape === undefined || shape === null) return undefined;
  if (!Array.isArray(shape) || shape.length === 0 || !shape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new Error(`toOnnx: ${where}: the input shape ${JSON.stringify(batchShape ?? shape)} must be known positive sizes after the batch dimension`);
  }
  return shape as number[];
}
