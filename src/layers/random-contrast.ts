import type { Backend } from '../kernels/backend.js';
import { uniformHash, type Ptr } from '../kernels/kernels.js';
import { commonArgs } from './config.js';
import { Augmentation, factorRange, seedConfigArg, type AugmentationArgs, type Factor } from './augmentation.js';
import { layerLabel } from './layer.js';
import { registerLayer } from './registry.js';

export interface RandomContrastArgs extends AugmentationArgs {
  /** f draws each image's contrast factor from [1 − f, 1 + f]; [a, b] from [1 − a, 1 + b]. Non-negative, a ≤ 1. */
  factor: Factor;
  /** The range outputs are clipped to (Keras 3's value_range; default [0, 255]: set [0, 1] for images in [0, 1]). */
  valueRange?: readonly [number, number];
}

/**
 * Keras' RandomContrast (Keras 3: one factor per image): while training, each channel of each
 * image moves away from (or toward) its mean, y = clip((x − mean)·factor + mean, valueRange).
 */
export class RandomContrast extends Augmentation {
  readonly className = 'RandomContrast';
  readonly factor: Factor;
  readonly valueRange: readonly [number, number];
  protected readonly valuesPerSample = 1;
  private readonly range: [number, number];

  constructor(args: RandomContrastArgs) {
    const where = layerLabel('RandomContrast', args.name);
    super(args, where);
    this.factor = args.factor;
    const [lower, upper] = factorRange(args.factor, 'factor', where, false);
    // As Keras: the contrast factor can go down to 0 (lower ≤ 1) and has no upper limit.
    if (lower < 0 || upper < 0 || lower > 1) throw new Error(`${where}: factor must be non-negative with a lower bound of at most 1, got ${JSON.stringify(args.factor)}`);
    this.range = [1 - lower, 1 + upper];
    const vr = args.valueRange ?? [0, 255];
    if (!Array.isArray(vr) || vr.length !== 2 || !vr.every((v) => typeof v === 'number' && !Number.isNaN(v)) || !(vr[0] < vr[1])) {
      throw new Error(`${where}: valueRange must be [low, high] with low < high, got ${JSON.stringify(args.valueRange)}`);
    }
    this.valueRange = [vr[0], vr[1]];
  }

  protected draw(f: Float32Array, out: Ptr, batch: number, seed: number): void {
    const lo = this.range[0];
    const hi = this.range[1];
    for (let b = 0; b < batch; b++) f[out + b] = lo + (hi - lo) * uniformHash(seed, b);
  }

  protected apply(b: Backend, x: Ptr, y: Ptr, drawn: Ptr, batch: number): void {
    b.adjustContrast(x, y, drawn, batch, this.height * this.width, this.channels, this.valueRange[0], this.valueRange[1]);
  }

  getConfig(): Record<string, unknown> {
    return { factor: this.factor, value_range: this.valueRange, ...this.seedConfig() };
  }
}

registerLayer('RandomContrast', (c) =>
  new RandomContrast({ factor: c['factor'] as Factor, ...(c['value_range'] ? { valueRange: c['value_range'] as [number, number] } : {}), ...seedConfigArg(c), ...commonArgs(c) }),
);
