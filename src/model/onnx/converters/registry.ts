/**
 * Keras class_name → ONNX converter. A converter turns one layer (its config and weights, through
 * a LayerContext) into nodes of the graph and returns the value it produced. A new layer becomes
 * exportable by registering a converter for its class_name.
 */
import type { LayerContext, Value } from '../graph-builder.js';
import { activationConverters } from './activations.js';
import { convConverters } from './conv.js';
import { denseConverters } from './dense.js';
import { normalizationConverters } from './normalization.js';
import { poolingConverters } from './pooling.js';
import { shapeConverters } from './shape.js';

export type Converter = (ctx: LayerContext) => Value;

const converters = new Map<string, Converter>(
  Object.entries({ ...convConverters, ...denseConverters, ...poolingConverters, ...normalizationConverters, ...shapeConverters, ...activationConverters }),
);

export function registerOnnxConverter(className: string, converter: Converter): void {
  converters.set(className, converter);
}

export function onnxConverter(className: string): Converter | undefined {
  return converters.get(className);
}

/** The Keras class names the exporter can convert. */
export function onnxExportableLayers(): string[] {
  return [...converters.keys()].sort();
}
