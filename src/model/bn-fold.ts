/**
 * BatchNormalization folded into the layer before it, for predict only.
 *
 * At inference a BatchNormalization is an affine map per channel, y = (z − mean)·s + β with
 * s = γ/√(moving variance + ε). When z comes straight from a Conv2D, DepthwiseConv2D,
 * SeparableConv2D or Dense with a linear activation, z = x·W + b is linear in its kernel's
 * last (output-channel) axis, so the pair equals one such layer with W'[…, c] = W[…, c]·s[c]
 * and b'[c] = (b[c] − mean[c])·s[c] + β[c]: the BatchNormalization pass over the activations
 * disappears, and the bias is added inside the layer's own kernel.
 *
 * The folded layer is a copy of the producer made from its Keras config (with a bias), whose
 * kernel and bias live in a region of their own; every other parameter (SeparableConv2D's
 * depthwise kernel) points at the model's. The model's layers, weights, saving and training are
 * untouched. The region (folded kernels and biases, then the copies' per-batch buffers) sits
 * right after the arena's batch plan, so it is placed again whenever that plan changes; the
 * values are folded again after any training forward pass or setWeights (`invalidate`).
 */
import type { Ptr } from '../kernels/kernels.js';
import type { Layer, Param, State, StepContext } from '../layers/layer.js';
import type { LayerFromConfig } from '../layers/registry.js';
import type { BatchPlan, ModelArena } from './arena.js';

/** The layers that can absorb a following BatchNormalization: the parameter whose last axis is the output channel. */
const FOLDABLE: Readonly<Record<string, string>> = {
  Conv2D: 'kernel',
  DepthwiseConv2D: 'depthwise_kernel',
  SeparableConv2D: 'pointwise_kernel',
  Dense: 'kernel',
};

interface FoldedPair {
  producer: Layer;
  /** The BatchNormalization right after the producer. */
  norm: Layer;
  /** The producer's copy with a bias, whose kernel and bias point into the fold region. */
  folded: Layer;
}

/** Whether `layer` followed by `next` can be folded into one layer. */
function foldable(layer: Layer, next: Layer | undefined): next is Layer {
  if (next?.className !== 'BatchNormalization' || !Object.hasOwn(FOLDABLE, layer.className)) return false;
  const activation = layer.getConfig()['activation'];
  return activation === undefined || activation === null || activation === 'linear';
}

export class BnFold {
  private readonly pairs: FoldedPair[] = [];
  /** The model's layers with each folded pair replaced by its folded layer. */
  private readonly inferenceLayers: Layer[] = [];
  /** The batch plan the region was placed after (null: not placed). */
  private placedAfter: BatchPlan | null = null;
  private fresh = false;

  /**
   * `registeredLayer` is the layer registry's lookup, passed in so that this module, imported
   * only by models with a BatchNormalization, imports nothing at run time: a bundler would
   * otherwise move the modules it shares with the core into a chunk of their own, which costs
   * every app bytes (test/bundle-size.test.ts).
   */
  constructor(
    layers: readonly Layer[],
    private readonly arena: ModelArena,
    registeredLayer: (className: string) => LayerFromConfig | undefined,
  ) {
    for (let i = 0; i < layers.length; i++) {
      const layer = layers[i]!;
      const next = layers[i + 1];
      if (!foldable(layer, next)) {
        this.inferenceLayers.push(layer);
        continue;
      }
      // A copy from the layer's own Keras config, with a bias; foldable classes are all registered.
      // When the BatchNormalization applies the activation layer after it (that layer passes
      // values through), the copy applies that activation instead.
      const after = layers[i + 2];
      const activation = after?.absorbedByPrevious ? { activation: after.absorbableActivation } : {};
      const config = { ...layer.getConfig(), name: `${layer.name}_folded`, use_bias: true, ...activation };
      const folded = registeredLayer(layer.className)!(config, `${layer.name} folded with ${next.name}`);
      folded.build(layer.inputShape);
      this.pairs.push({ producer: layer, norm: next, folded });
      this.inferenceLayers.push(folded);
      i++; // the BatchNormalization is part of the folded layer
    }
  }

  /** Whether the model has a pair to fold. */
  get active(): boolean {
    return this.pairs.length > 0;
  }

  /** The weights changed (a training step, setWeights): fold again before the next predict. */
  invalidate(): void {
    this.fresh = false;
  }

  /** Forward through the folded layers (inference only) for `rows` samples of `plan`. */
  forward(ctx: StepContext, plan: BatchPlan, input: Ptr, rows: number): Ptr {
    if (ctx.training) throw new Error('BnFold.forward: folded layers are for inference only');
    if (this.placedAfter !== plan) this.place(plan);
    if (!this.fresh) this.fold();
    let x = input;
    for (const layer of this.inferenceLayers) x = layer.forwardStep(ctx, x, rows);
    return x;
  }

  /** Places the folded kernels and biases and the folded layers' per-batch buffers after the batch plan. */
  private place(plan: BatchPlan): void {
    const memory = this.arena.afterBatch(plan);
    for (const { producer, folded } of this.pairs) {
      const channelParam = FOLDABLE[producer.className]!;
      for (const p of folded.params) {
        // Only the output-channel kernel and the bias change; the rest is read where the model keeps it.
        p.ptr = p.name === channelParam || p.name === 'bias' ? memory.alloc(p.size) : producer.param(p.name).ptr;
      }
      folded.plan(memory, plan.maxBatch);
    }
    this.arena.backend.reserve(memory.end);
    this.placedAfter = plan;
    this.fresh = false;
  }

  /** Computes every folded kernel and bias from the model's current weights and moving statistics. */
  private fold(): void {
    const f = this.arena.backend.f32();
    for (const { producer, norm, folded } of this.pairs) {
      const kernel = producer.param(FOLDABLE[producer.className]!);
      const foldedKernel = folded.param(kernel.name);
      const foldedBias = folded.param('bias');
      const bias = named(producer.params, 'bias');
      const channels = foldedBias.size;
      const { scale, shift } = normAffine(norm, f, channels);
      const mean = named(norm.state, 'moving_mean')!;
      for (let c = 0; c < channels; c++) {
        const b = bias ? f[bias.ptr + c]! : 0;
        f[foldedBias.ptr + c] = (b - f[mean.ptr + c]!) * scale[c]! + shift[c]!;
      }
      // Kernels are row-major with the output channel last: every run of `channels` values is one row.
      for (let at = 0; at < kernel.size; at += channels) {
        for (let c = 0; c < channels; c++) f[foldedKernel.ptr + at + c] = f[kernel.ptr + at + c]! * scale[c]!;
      }
    }
    this.fresh = true;
  }
}

/** A BatchNormalization's per-channel s = γ/√(moving variance + ε) and β (γ = 1, β = 0 when absent). */
function normAffine(norm: Layer, f: Float32Array, channels: number): { scale: Float64Array; shift: Float64Array } {
  const epsilon = norm.getConfig()['epsilon'] as number;
  const variance = named(norm.state, 'moving_variance')!;
  const gamma = named(norm.params, 'gamma');
  const beta = named(norm.params, 'beta');
  const scale = new Float64Array(channels);
  const shift = new Float64Array(channels);
  for (let c = 0; c < channels; c++) {
    scale[c] = (gamma ? f[gamma.ptr + c]! : 1) / Math.sqrt(f[variance.ptr + c]! + epsilon);
    shift[c] = beta ? f[beta.ptr + c]! : 0;
  }
  return { scale, shift };
}

function named<T extends Param | State>(arrays: readonly T[], name: string): T | undefined {
  return arrays.find((a) => a.name === name);
}
