import type { Backend } from './kernels/backend.js';
import { LossKind, type LossKindCode, type Ptr } from './kernels/kernels.js';

export type LossName =
  | 'binaryCrossentropy'
  | 'categoricalCrossentropy'
  | 'sparseCategoricalCrossentropy'
  | 'meanSquaredError'
  | 'meanAbsoluteError'
  | 'huber'
  | 'meanSquaredLogarithmicError'
  | 'hinge'
  | 'kld';

/** Keras' snake_case names (and its aliases), as model files store them; compile accepts them too. */
export type KerasLossName =
  | 'binary_crossentropy'
  | 'categorical_crossentropy'
  | 'sparse_categorical_crossentropy'
  | 'mean_squared_error'
  | 'mean_absolute_error'
  | 'huber'
  | 'huber_loss'
  | 'mean_squared_logarithmic_error'
  | 'hinge'
  | 'kl_divergence'
  | 'kullback_leibler_divergence';

/** Short names and aliases compile accepts besides the LossNames (Keras' and TF.js'). */
export type LossAlias = 'mse' | 'mae' | 'msle' | 'kullbackLeiblerDivergence' | 'klDivergence';

export interface CrossentropyOptions {
  /** The model outputs logits (no sigmoid/softmax): the loss applies it, stably (default false). */
  fromLogits?: boolean;
  /** Mixes the targets with the uniform distribution: t(1 − s) + s/classes (binary: + s/2). In [0, 1], default 0. */
  labelSmoothing?: number;
}

export interface HuberOptions {
  /** Where the loss turns from quadratic to linear (default 1). */
  delta?: number;
}

interface Spec {
  /** Keras' class name (its serialized loss objects). */
  className: string;
  /** Keras' function name. */
  keras: KerasLossName;
  /** The name TF.js 4.22 compiles from a trainingConfig, or null when TF.js has no such loss. */
  tfjs: string | null;
  options: readonly string[];
}

const SPECS: Readonly<Record<LossName, Spec>> = {
  binaryCrossentropy: { className: 'BinaryCrossentropy', keras: 'binary_crossentropy', tfjs: 'binary_crossentropy', options: ['fromLogits', 'labelSmoothing'] },
  categoricalCrossentropy: { className: 'CategoricalCrossentropy', keras: 'categorical_crossentropy', tfjs: 'categorical_crossentropy', options: ['fromLogits', 'labelSmoothing'] },
  sparseCategoricalCrossentropy: {
    className: 'SparseCategoricalCrossentropy',
    keras: 'sparse_categorical_crossentropy',
    tfjs: 'sparse_categorical_crossentropy',
    options: ['fromLogits', 'labelSmoothing'],
  },
  meanSquaredError: { className: 'MeanSquaredError', keras: 'mean_squared_error', tfjs: 'mean_squared_error', options: [] },
  meanAbsoluteError: { className: 'MeanAbsoluteError', keras: 'mean_absolute_error', tfjs: 'mean_absolute_error', options: [] },
  huber: { className: 'Huber', keras: 'huber', tfjs: null, options: ['delta'] },
  meanSquaredLogarithmicError: { className: 'MeanSquaredLogarithmicError', keras: 'mean_squared_logarithmic_error', tfjs: 'mean_squared_logarithmic_error', options: [] },
  hinge: { className: 'Hinge', keras: 'hinge', tfjs: 'hinge', options: [] },
  kld: { className: 'KLDivergence', keras: 'kl_divergence', tfjs: 'kullback_leibler_divergence', options: [] },
};

export const lossNames = Object.keys(SPECS) as LossName[];

/** Every string compile accepts for a loss, to its LossName. */
const BY_NAME: ReadonlyMap<string, LossName> = new Map<string, LossName>([
  ...lossNames.map((n) => [n, n] as const),
  ...lossNames.map((n) => [SPECS[n].keras, n] as const),
  ...lossNames.map((n) => [SPECS[n].className, n] as const),
  ['mse', 'meanSquaredError'],
  ['mae', 'meanAbsoluteError'],
  ['msle', 'meanSquaredLogarithmicError'],
  ['huber_loss', 'huber'],
  ['kullbackLeiblerDivergence', 'kld'],
  ['kullback_leibler_divergence', 'kld'],
  ['klDivergence', 'kld'],
]);

/**
 * How the loss meets the model's last layer (decided in model/loss-fusion.ts). 'softmax' /
 * 'sigmoid': the last layer ends in that activation and the loss is the matching cross-entropy
 * on probabilities, so the loss kernel hands that layer dLoss/dlogits (p − t, scaled) and the layer
 * skips the activation's own derivative (cheaper and better conditioned). 'none': the loss hands
 * dLoss/doutput and every layer differentiates its own activation.
 */
export type LossFusion = 'softmax' | 'sigmoid' | 'none';

/** A loss with its options, as compile takes it (`losses.huber({ delta: 2 })`) or a name makes it. */
export class Loss {
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
  readonly delta: number;

  constructor(
    readonly name: LossName,
    options: CrossentropyOptions & HuberOptions = {},
  ) {
    const spec = SPECS[name];
    const where = `losses.${name}`;
    if (typeof options !== 'object' || options === null) throw new Error(`${where}: options must be an object, got ${String(options)}`);
    for (const key of Object.keys(options)) {
      if (!spec.options.includes(key)) {
        throw new Error(`${where}: unknown option '${key}'; ${spec.options.length ? `options: ${spec.options.join(', ')}` : 'it takes no options'}`);
      }
    }
    this.fromLogits = options.fromLogits ?? false;
    if (typeof this.fromLogits !== 'boolean') throw new Error(`${where}: fromLogits must be true or false, got ${String(options.fromLogits)}`);
    this.labelSmoothing = options.labelSmoothing ?? 0;
    if (!(this.labelSmoothing >= 0 && this.labelSmoothing <= 1)) throw new Error(`${where}: labelSmoothing must be in [0, 1], got ${String(options.labelSmoothing)}`);
    this.delta = options.delta ?? 1;
    if (!(this.delta > 0 && Number.isFinite(this.delta))) throw new Error(`${where}: delta must be a positive number, got ${String(options.delta)}`);
  }

  /** Keras' snake_case name. */
  get kerasName(): KerasLossName {
    return SPECS[this.name].keras;
  }

  /** Targets are class indices, one per sample. */
  get sparseLabels(): boolean {
    return this.name === 'sparseCategoricalCrossentropy';
  }

  /** The name a TF.js trainingConfig holds, when TF.js compiles this loss with the same meaning (its losses take no options). */
  get tfjsName(): string | null {
    return this.hasDefaultOptions() ? SPECS[this.name].tfjs : null;
  }

  hasDefaultOptions(): boolean {
    return !this.fromLogits && this.labelSmoothing === 0 && this.delta === 1;
  }

  /** Keras' serialized form: { class_name: 'BinaryCrossentropy', config: { from_logits, label_smoothing } }. */
  toConfig(): { class_name: string; config: Record<string, unknown> } {
    const config: Record<string, unknown> = { name: this.kerasName };
    const options = SPECS[this.name].options;
    if (options.includes('fromLogits')) config['from_logits'] = this.fromLogits;
    if (options.includes('labelSmoothing')) config['label_smoothing'] = this.labelSmoothing;
    if (options.includes('delta')) config['delta'] = this.delta;
    return { class_name: SPECS[this.name].className, config };
  }

  /** The kernel's loss code under a fusion decision. */
  kernelKind(fusion: LossFusion): LossKindCode {
    switch (this.name) {
      case 'binaryCrossentropy':
        return this.fromLogits ? LossKind.binaryCrossentropyLogits : fusion === 'sigmoid' ? LossKind.binaryCrossentropySigmoidFused : LossKind.binaryCrossentropy;
      case 'categoricalCrossentropy':
      case 'sparseCategoricalCrossentropy':
        return this.fromLogits
          ? LossKind.categoricalCrossentropyLogits
          : fusion === 'softmax'
          ? LossKind.categoricalCrossentropySoftmaxFused
          : LossKind.categoricalCrossentropy;
      default:
        return LossKind[this.name];
    }
  }

  /** The kernel's `param`: Huber's delta, or the label smoothing. */
  get kernelParam(): number {
    return this.name === 'huber' ? this.delta : this.labelSmoothing;
  }
}

type NoOptions = Record<string, never>;

/** The loss factories: `losses.binaryCrossentropy({ fromLogits: true })`. */
export const losses = {
  binaryCrossentropy: (options: CrossentropyOptions = {}) => new Loss('binaryCrossentropy', options),
  categoricalCrossentropy: (options: CrossentropyOptions = {}) => new Loss('categoricalCrossentropy', options),
  sparseCategoricalCrossentropy: (options: CrossentropyOptions = {}) => new Loss('sparseCategoricalCrossentropy', options),
  // These take no options: an options object is still checked, so a misspelt option is an error.
  meanSquaredError: (options: NoOptions = {}) => new Loss('meanSquaredError', options),
  meanAbsoluteError: (options: NoOptions = {}) => new Loss('meanAbsoluteError', options),
  huber: (options: HuberOptions = {}) => new Loss('huber', options),
  meanSquaredLogarithmicError: (options: NoOptions = {}) => new Loss('meanSquaredLogarithmicError', options),
  hinge: (options: NoOptions = {}) => new Loss('hinge', options),
  kld: (options: NoOptions = {}) => new Loss('kld', options),
};

/** A loss compile accepts: a Loss, or a name (camelCase, Keras snake_case, or Keras' class name). */
export type LossSpec = Loss | LossName | KerasLossName | LossAlias;

export function checkLoss(loss: unknown): Loss {
  if (loss instanceof Loss) return loss;
  const name = typeof loss === 'string' ? BY_NAME.get(loss) : undefined;
  if (name) return new Loss(name);
  throw new Error(`compile: unsupported loss '${String(loss)}'; supported: ${lossNames.join(', ')} (or their Keras snake_case names, or a losses.* object)`);
}

/**
 * A loss as a model file holds it: a name, or Keras' serialized object ({ class_name, config }
 * with from_logits, label_smoothing, delta). Throws naming what it cannot read.
 */
export function lossFromConfig(value: unknown): Loss {
  if (typeof value === 'string') return checkLoss(value);
  if (typeof value !== 'object' || value === null) throw new Error(`trainingConfig: loss must be a name or { class_name, config }, got ${JSON.stringify(value)}`);
  const { class_name: className, config = {} } = value as { class_name?: unknown; config?: Record<string, unknown> };
  const name = typeof className === 'string' ? BY_NAME.get(className) : undefined;
  if (!name) throw new Error(`trainingConfig: unsupported loss class '${String(className)}'`);
  const options: CrossentropyOptions & HuberOptions = {};
  const spec = SPECS[name].options;
  if (spec.includes('fromLogits') && config['from_logits'] !== undefined) options.fromLogits = config['from_logits'] as boolean;
  if (spec.includes('labelSmoothing') && config['label_smoothing'] !== undefined) options.labelSmoothing = config['label_smoothing'] as number;
  if (spec.includes('delta') && config['delta'] !== undefined) options.delta = config['delta'] as number;
  return new Loss(name, options);
}

/**
 * Mean loss of predictions p against targets t (both rows×cols, one-hot for sparse labels),
 * each row weighted by w[r] when w ≥ 0, writing dLoss/dp — or dLoss/dlogits under a fusion — to grad.
 */
export function lossForwardBackward(b: Backend, loss: Loss, fusion: LossFusion, p: Ptr, t: Ptr, grad: Ptr, w: Ptr, rows: number, cols: number): number {
  return b.loss(loss.kernelKind(fusion), p, t, grad, w, rows, cols, loss.kernelParam);
}
