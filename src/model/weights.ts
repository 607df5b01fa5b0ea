import type { Ptr } from '../kernels/kernels.js';
import type { Layer } from '../layers/layer.js';
import type { Shape } from '../tensor.js';
import type { NamedWeight } from './weights-format.js';

/** One named array of a model in the arena: a parameter, a piece of state, an optimizer slot. */
export interface WeightSlot {
  name: string;
  shape: Shape;
  size: number;
  ptr: Ptr;
}

/**
 * Every array a model saves, named as in model files ('conv2d/kernel'), in Keras order: each
 * layer's parameters, then its non-trainable state ('batch_normalization/moving_mean').
 */
function weightSlots(layers: readonly Layer[]): WeightSlot[] {
  return layers.flatMap((layer) => [...layer.params, ...layer.state].map((w) => ({ name: `${layer.name}/${w.name}`, shape: w.shape, size: w.size, ptr: w.ptr })));
}

/** Copies of every parameter and state array. */
export function readWeights(layers: readonly Layer[], f32: Float32Array): NamedWeight[] {
  return copyArrays(weightSlots(layers), f32);
}

/**
 * Checks that `weights` hold exactly the arrays the layers declare, by name and shape; throws
 * naming the first mismatch. Needs only built shapes, so loading runs it before allocating.
 */
export function checkWeightsMatch(layers: readonly Layer[], weights: readonly NamedWeight[], what: string): void {
  checkNamedArrays(weightSlots(layers), new Map(weights.map((w) => [w.name, w])), what);
}

/** Sets every parameter and state array from named arrays; names and shapes must match exactly. */
export function writeWeights(layers: readonly Layer[], weights: readonly NamedWeight[], f32: Float32Array): void {
  checkWeightsMatch(layers, weights, 'setWeights');
  const byName = new Map(weights.map((w) => [w.name, w]));
  for (const w of weightSlots(layers)) f32.set(byName.get(w.name)!.data, w.ptr);
}

/**
 * Checks that `given` holds an array for every expected name with its shape and nothing else;
 * throws naming the first mismatch (`what` names the caller).
 */
export function checkNamedArrays(expected: readonly { name: string; shape: Shape; size: number }[], given: ReadonlyMap<string, NamedWeight>, what: string): void {
  for (const e of expected) {
    const w = given.get(e.name);
    if (!w) throw new Error(`${what}: no weight named '${e.name}' (got: ${[...given.keys()].join(', ') || 'none'})`);
    if (w.shape.length !== e.shape.length || w.shape.some((d, i) => d !== e.shape[i])) {
      throw new Error(`${what}: weight '${e.name}' has shape [${w.shape.join(', ')}] but the layer needs [${e.shape.join(', ')}]`);
    }
    if (w.data.length !== e.size) throw new Error(`${what}: weight '${e.name}' holds ${w.data.length} values, needs ${e.size}`);
  }
  const names = new Set(expected.map((e) => e.name));
  const extra = [...given.keys()].filter((k) => !names.has(k));
  if (extra.length) throw new Error(`${what}: unexpected weights ${extra.join(', ')}`);
}

/**
 * The optimizer's per-parameter slot arrays, named '<weight>/<slot>' as TF.js names optimizer
 * weights ('dense/kernel/m'); `slots` are the slot regions, parallel to `params`.
 */
export function optimizerSlots(layers: readonly Layer[], params: Ptr, slots: readonly Ptr[], slotNames: readonly string[]): WeightSlot[] {
  return layers.flatMap((layer) =>
    layer.params.flatMap((p) => slotNames.map((slot, i) => ({ name: `${layer.name}/${p.name}/${slot}`, shape: p.shape, size: p.size, ptr: slots[i]! + (p.ptr - params) }))),
  );
}

/** Copies of named arrays in the arena. */
export function copyArrays(arrays: readonly WeightSlot[], f32: Float32Array): NamedWeight[] {
  return arrays.map((w) => ({ name: w.name, shape: [...w.shape], data: f32.slice(w.ptr, w.ptr + w.size) }));
}
