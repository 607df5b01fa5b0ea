import { initializerClassNames, initializerFromClassName, type InitializerName } from '../init.js';
import type { Shape } from '../tensor.js';
import type { LayerArgs } from './layer.js';

/** A Keras layer config as it stands in model.json (snake_case keys). */
export type Config = Record<string, unknown>;

/** Keras' serialized form of an initializer. */
export function initializerConfig(name: InitializerName): { class_name: string; config: Record<string, unknown> } {
  const class_name = initializerClassNames[name];
  return { class_name, config: name === 'zeros' || name === 'ones' ? {} : { seed: null } };
}

/** The kernel/bias part of a Conv2D or Dense config, as Keras writes it. */
export function kernelBiasConfig(useBias: boolean, kernel: InitializerName, bias: InitializerName): Record<string, unknown> {
  return {
    use_bias: useBias,
    kernel_initializer: initializerConfig(kernel),
    bias_initializer: initializerConfig(bias),
    kernel_regularizer: null,
    bias_regularizer: null,
    activity_regularizer: null,
    kernel_constraint: null,
    bias_constraint: null,
  };
}

// --- reading configs back (each layer's fromConfig) ---------------------------------------

/** The per-sample input shape a layer config declares (batch_input_shape / batch_shape), if any. */
export function declaredInputShape(config: Config): Shape | undefined {
  const batchShape = config['batch_input_shape'] ?? config['batch_shape'] ?? config['batchInputShape'];
  if (Array.isArray(batchShape)) return batchShape.slice(1) as number[];
  const inputShape = config['input_shape'];
  return Array.isArray(inputShape) ? (inputShape as number[]) : undefined;
}

/** The options every layer takes from its config: name, declared input shape, trainable. */
export function commonArgs(c: Config): LayerArgs {
  const out: LayerArgs = {};
  if (typeof c['name'] === 'string') out.name = c['name'];
  const shape = declaredInputShape(c);
  if (shape) out.inputShape = shape;
  if (typeof c['trainable'] === 'boolean') out.trainable = c['trainable'];
  return out;
}

export function numberOption(c: Config, key: string, where: string): number {
  const v = c[key];
  if (typeof v !== 'number') throw new Error(`${where}: config.${key} must be a number, got ${JSON.stringify(v)}`);
  return v;
}

export function initializerOption(v: unknown, fallback: InitializerName, where: string): InitializerName {
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

/** Refuses a config option wasmnn does not implement unless it has its default value. */
export function expectDefault(c: Config, key: string, expected: unknown, where: string): void {
  const v = c[key];
  if (v === undefined || v === null) return;
  const same = JSON.stringify(v) === JSON.stringify(expected) || (typeof v === 'number' && v === 1);
  if (!same) throw new Error(`${where}: ${key} ${JSON.stringify(v)} is not supported (only ${JSON.stringify(expected)})`);
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
