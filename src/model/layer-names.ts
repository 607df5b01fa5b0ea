import type { Layer } from '../layers/layer.js';
import { kerasNamePrefix } from '../layers/registry.js';

/**
 * Names the unnamed layers as Keras does (conv2d, conv2d_1, batch_normalization, ...), skipping
 * names the user gave, and checks that all names are unique.
 */
export function assignLayerNames(layers: readonly Layer[]): void {
  const used = new Set(layers.map((l) => l.name).filter((n): n is string => !!n));
  const counters = new Map<string, number>();
  for (const layer of layers) {
    if (layer.name) continue;
    const prefix = kerasNamePrefix(layer.className);
    let k = counters.get(prefix) ?? 0;
    let name: string;
    do name = k === 0 ? prefix : `${prefix}_${k}`, k++;
    while (used.has(name));
    counters.set(prefix, k);
    used.add(name);
    layer.name = name;
  }
  if (used.size !== layers.length) throw new Error(`Sequential: layer names must be unique (${layers.map((l) => l.name).join(', ')})`);
}
