import { initializerClassNames, type InitializerName } from '../init.js';

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
