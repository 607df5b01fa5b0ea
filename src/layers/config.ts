import { initializerClassNames, type InitializerName } from '../init.js';

/** Keras' serialized form of an initializer. */
export function initializerConfig(name: InitializerName): { class_name: string; config: Record<string, unknown> } {
  const class_name = initializerClassNames[name];
  return { class_name, config: name === 'zeros' || name === 'ones' ? {} : { seed: null } };
}
