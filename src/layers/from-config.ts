import { checkActivation } from '../activations.js';
import { initializerFromClassName, type InitializerName } from '../init.js';
import type { Shape } from '../tensor.js';
import { Activation } from './activation.js';
import { Conv2D } from './conv2d.js';
import { Dense } from './dense.js';
import { Dropout } from './dropout.js';
import { Flatten } from './flatten.js';
import type { Layer } from './layer.js';
import { MaxPool2D } from './maxpool2d.js';

type Config = Record<string, unknown>;

const builders: Record<string, (c: Config, where: string) => Layer> = {
  Conv2D: (c, where) => {
    expectDefault(c, 'dilation_rate', [1, 1], where);
    expectDefault(c, 'groups', 1, where);
    return new Conv2D({
      filters: num(c, 'filters', where),
      kernelSize: c['kernel_size'] as [number, number],
      strides: (c['strides'] ?? 1) as [number, number],
      padding: c['padding'] as 'valid' | 'same',
      activation: checkActivation(c['activation'], where),
      useBias: (c['use_bias'] ?? true) as boolean,
      kernelInitializer: initializer(c['kernel_initializer'], 'glorotUniform', where),
      biasInitializer: initializer(c['bias_initializer'], 'zeros', where),
      ...common(c),
    });
  },
  Dense: (c, where) =>
    new Dense({
      units: num(c, 'units', where),
      activation: checkActivation(c['activation'], where),
      useBias: (c['use_bias'] ?? true) as boolean,
      kernelInitializer: initializer(c['kernel_initializer'], 'glorotUniform', where),
      biasInitializer: initializer(c['bias_initializer'], 'zeros', where),
      ...common(c),
    }),
  MaxPooling2D: (c) =>
    new MaxPool2D({
      poolSize: (c['pool_size'] ?? 2) as [number, number],
      strides: (c['strides'] ?? c['pool_size'] ?? 2) as [number, number],
      padding: c['padding'] as 'valid' | 'same',
      ...common(c),
    }),
  Flatten: (c) => new Flatten(common(c)),
  Dropout: (c, where) => new Dropout({ rate: num(c, 'rate', where), ...common(c) }),
  Activation: (c, where) => new Activation({ activation: checkActivation(c['activation'], where), ...common(c) }),
};
builders['MaxPool2D'] = builders['MaxPooling2D']!;

export const supportedLayerClasses = Object.keys(builders);

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
  const build = builders[className];
  if (!build) throw new Error(`unsupported layer class '${className}' in ${where}; wasmnn supports ${supportedLayerClasses.join(', ')}`);
  if (config['data_format'] !== undefined && config['data_format'] !== null && config['data_format'] !== 'channels_last') {
    throw new Error(`${where}: data_format '${String(config['data_format'])}' is not supported (only channels_last)`);
  }
  return build(config, where);
}

/** The per-sample input shape a layer config declares (batch_input_shape / batch_shape), if any. */
export function declaredInputShape(config: Config): Shape | undefined {
  const batchShape = config['batch_input_shape'] ?? config['batch_shape'] ?? config['batchInputShape'];
  if (Array.isArray(batchShape)) return batchShape.slice(1) as number[];
  const inputShape = config['input_shape'];
  return Array.isArray(inputShape) ? (inputShape as number[]) : undefined;
}

function common(c: Config): { name?: string; inputShape?: Shape } {
  const out: { name?: string; inputShape?: Shape } = {};
  if (typeof c['name'] === 'string') out.name = c['name'];
  const shape = declaredInputShape(c);
  if (shape) out.inputShape = shape;
  return out;
}

function num(c: Config, key: string, where: string): number {
  const v = c[key];
  if (typeof v !== 'number') throw new Error(`${where}: config.${key} must be a number, got ${JSON.stringify(v)}`);
  return v;
}

function initializer(v: unknown, fallback: InitializerName, where: string): InitializerName {
  if (v === undefined || v === null) return fallback;
  const className = isObject(v) ? v['class_name'] : v;
  if (typeof className !== 'string') throw new Error(`${where}: unreadable initializer ${JSON.stringify(v)}`);
  try {
    return initializerFromClassName(className);
  } catch {
    // Initializers only matter before training; a loaded model's weights overwrite them.
    return fallback;
  }
}

function expectDefault(c: Config, key: string, expected: unknown, where: string): void {
  const v = c[key];
  if (v === undefined || v === null) return;
  const same = JSON.stringify(v) === JSON.stringify(expected) || (typeof v === 'number' && v === 1);
  if (!same) throw new Error(`${where}: ${key} ${JSON.stringify(v)} is not supported (only ${JSON.stringify(expected)})`);
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
