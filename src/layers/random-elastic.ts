import type { Backend } from '../kernels/backend.js';
import { elasticFieldFloats, FillMode, type FillModeCode, type Ptr } from '../kernels/kernels.js';
import type { MemoryPlan } from '../memory-plan.js';
import { commonArgs } from './config.js';
import { affineConfigArgs, Augmentation, checkFill, type AugmentationArgs, type FillArgs, type FillModeName } from './augmentation.js';
import { layerLabel } from './layer.js';
import { registerLayer } from './registry.js';

export interface RandomElasticArgs extends AugmentationArgs, FillArgs {
  /** Scale of the smoothed displacement field, in pixels per unit of smoothed noise (default 34, Simard et al.'s MNIST value). */
  alpha?: number;
  /** Standard deviation of the Gaussian that smooths the noise, in pixels (default 4); the kernel spans ±⌈3·sigma⌉. */
  sigma?: number;
}

/**
 * wasmnn's own elastic distortion (Simard, Steinkraus & Platt 2003; Keras has none): while
 * training, per image a displacement per pixel and axis, uniform noise in [−1, 1] from the model's
 * seeded draws, smoothed by a Gaussian of std sigma (separable, zeros outside the image), times
 * alpha; then one bilinear resampling at the displaced points with the fill mode. Identity in
 * predict and evaluate. Saved under its own class name, so Keras and TF.js do not know it.
 */
export class RandomElastic extends Augmentation {
  readonly className = 'RandomElastic';
  readonly alpha: number;
  readonly sigma: number;
  readonly fillMode: FillModeName;
  readonly fillValue: number;
  readonly interpolation = 'bilinear';
  /** The kernel draws the fields itself from the batch's seed: nothing per sample is drawn in TS. */
  protected readonly valuesPerSample = 0;
  private readonly tapValues: Float32Array;
  private taps: Ptr = -1;
  private fields: Ptr = -1;

  constructor(args: RandomElasticArgs = {}) {
    const where = layerLabel('RandomElastic', args.name);
    super(args, where);
    this.alpha = args.alpha ?? 34;
    if (typeof this.alpha !== 'number' || !Number.isFinite(this.alpha) || this.alpha < 0) throw new Error(`${where}: alpha must be a finite number ≥ 0, got ${JSON.stringify(args.alpha)}`);
    this.sigma = args.sigma ?? 4;
    if (typeof this.sigma !== 'number' || !Number.isFinite(this.sigma) || this.sigma <= 0 || this.sigma > 64) {
      throw new Error(`${where}: sigma must be a number in (0, 64] (pixels), got ${JSON.stringify(args.sigma)}`);
    }
    [this.fillMode, this.fillValue] = checkFill(args, where);
    this.tapValues = gaussianTaps(this.sigma);
  }

  private get radius(): number {
    return this.tapValues.length - 1;
  }

  override plan(memory: MemoryPlan, maxBatch: number): void {
    super.plan(memory, maxBatch);
    this.taps = memory.alloc(this.tapValues.length);
    this.fields = memory.alloc(maxBatch * elasticFieldFloats(this.height, this.width, this.radius));
  }

  protected draw(f: Float32Array): void {
    // The taps live in the arena for the kernel; rewritten each step (a few floats) rather than trusting the arena to keep them.
    f.set(this.tapValues, this.taps);
  }

  protected apply(b: Backend, x: Ptr, y: Ptr, _drawn: Ptr, batch: number, seed: number): void {
    b.elasticWarp(x, y, this.fields, this.taps, this.radius, this.alpha, seed, batch, this.height, this.width, this.channels, FillMode[this.fillMode] as FillModeCode, this.fillValue);
  }

  getConfig(): Record<string, unknown> {
    return { alpha: this.alpha, sigma: this.sigma, fill_mode: this.fillMode, fill_value: this.fillValue, interpolation: this.interpolation, ...this.seedConfig() };
  }
}

/**
 * The normalized Gaussian of std `sigma` over −⌈3·sigma⌉ … ⌈3·sigma⌉, as elasticWarp takes it:
 * the weights of distances 0 … ⌈3·sigma⌉ (float32; the whole kernel sums to 1 before rounding).
 */
export function gaussianTaps(sigma: number): Float32Array {
  const radius = Math.max(1, Math.ceil(3 * sigma));
  const weights = Array.from({ length: radius + 1 }, (_, d) => Math.exp(-(d * d) / (2 * sigma * sigma)));
  const total = weights.reduce((a, v, d) => a + (d === 0 ? v : 2 * v), 0);
  return Float32Array.from(weights, (v) => v / total);
}

registerLayer('RandomElastic', (c) => {
  const args: RandomElasticArgs = { ...affineConfigArgs(c), ...commonArgs(c) };
  if (typeof c['alpha'] === 'number') args.alpha = c['alpha'];
  if (typeof c['sigma'] === 'number') args.sigma = c['sigma'];
  return new RandomElastic(args);
});
