import type { Optimizer } from '../optimizers.js';
import type { Layer } from '../layers/layer.js';
import type { ModelArena } from './arena.js';
import { checkNamedArrays, copyArrays, optimizerSlots } from './weights.js';
import type { NamedWeight } from './weights-format.js';

/** What a checkpoint keeps besides the weights, in model.json's userDefinedMetadata.wasmnn. */
export interface TrainingState {
  /** The seeded generator's state (shuffling and dropout draw from it). */
  random: number[];
  epochsCompleted: number;
}

/** The optimizer's step count among the optimizer weights, as TF.js names it. */
const ITERATIONS_WEIGHT = 'iter';

/** The optimizer's per-parameter slots ('dense/kernel/m', ...), in parameter order. */
export function readOptimizerSlots(layers: readonly Layer[], arena: ModelArena, optimizer: Optimizer): NamedWeight[] {
  return copyArrays(optimizerSlots(layers, arena.params, arena.slots, optimizer.slotNames), arena.backend.f32());
}

/**
 * The optimizer state as TF.js saves it in the manifest's 'optimizer' group: the step count
 * ('iter') first, then every slot. Only for an optimizer model files can name, since loading
 * rebuilds the optimizer from the trainingConfig before it restores the slots.
 */
export function optimizerStateWeights(layers: readonly Layer[], arena: ModelArena, optimizer: Optimizer): NamedWeight[] {
  if (!optimizer.toTfjs()) throw new Error(`save: includeOptimizer needs an optimizer model files can name; ${optimizer.className} with these options has no TF.js form, so its state could not be restored`);
  return [{ name: ITERATIONS_WEIGHT, shape: [], data: Float32Array.of(optimizer.iterations) }, ...readOptimizerSlots(layers, arena, optimizer)];
}

/** Writes every slot and the step count back from optimizerStateWeights' arrays; throws naming the first mismatch. */
export function restoreOptimizerState(layers: readonly Layer[], arena: ModelArena, optimizer: Optimizer, weights: readonly NamedWeight[]): void {
  const byName = new Map(weights.map((w) => [w.name, w]));
  const iterations = byName.get(ITERATIONS_WEIGHT);
  if (!iterations || iterations.data.length !== 1 || !Number.isInteger(iterations.data[0]) || iterations.data[0]! < 0) {
    throw new Error(`setOptimizerWeights: no valid '${ITERATIONS_WEIGHT}' (the optimizer's step count) among the optimizer weights`);
  }
  byName.delete(ITERATIONS_WEIGHT);
  const slots = optimizerSlots(layers, arena.params, arena.slots, optimizer.slotNames);
  checkNamedArrays(slots, byName, 'setOptimizerWeights');
  const f32 = arena.backend.f32();
  for (const s of slots) f32.set(byName.get(s.name)!.data, s.ptr);
  optimizer.iterations = iterations.data[0]!;
}
