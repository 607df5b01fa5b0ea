import type { Backend } from '../kernels/backend.js';
import { FillMode, type FillModeCode, type Ptr } from '../kernels/kernels.js';
import type { MemoryPlan } from '../memory-plan.js';
import { shapeSize, type Shape } from '../tensor.js';
import type { Config } from './config.js';
import { Layer, type LayerArgs, type StepContext } from './layer.js';

// What the Random* preprocessing layers share: identity outside training; while training, each
// batch draws per-sample parameters from one seed of the model's PRNG (ctx.nextSeed(), then a
// counter hash per value, so nothing is allocated and every backend draws the same numbers) and
// runs one kernel (RandomElastic's kernel hashes its per-pixel noise from that seed itself). They have no backward pass: they must come before every layer with
// parameters, which the model checks when it builds (checkAugmentationPlacement).

export type FillModeName = keyof typeof FillMode;

/** A factor as Keras takes it: one number f (meaning the range [−f, f], or [f, f] where the layer says so) or [lower, upper]. */
export type Factor = number | readonly [number, number];

export interface AugmentationArgs extends LayerArgs {
  /** Kept in the config as Keras does. The draws come from the model's seeded PRNG (Sequential's `seed`), so one seed makes a whole run, and a resumed one, reproducible. */
  seed?: number | null;
}

export interface FillArgs {
  /** How points outside the image are filled: 'reflect' (default), 'constant' (fillValue), 'nearest' or 'wrap', as Keras. */
  fillMode?: FillModeName;
  /** The value outside the image in 'constant' mode (default 0). */
  fillValue?: number;
  /** Only 'bilinear' (Keras' default) is supported. */
  interpolation?: string;
}

export interface AffineAugmentationArgs extends AugmentationArgs, FillArgs {}

export abstract class Augmentation extends Layer {
  readonly seed: number | null;
  private y: Ptr = -1;
  /** Per-sample parameters of the current batch (valuesPerSample each). */
  private drawn: Ptr = -1;

  /** `where` names the layer in constructor errors (layerLabel). */
  constructor(args: AugmentationArgs, where: string) {
    super(args);
    const seed = args.seed ?? null;
    if (seed !== null && !Number.isInteger(seed)) throw new Error(`${where}: seed must be an integer or null, got ${JSON.stringify(seed)}`);
    this.seed = seed;
  }

  /** How many numbers one sample's parameters take in the arena. */
  protected abstract readonly valuesPerSample: number;

  /**
   * Writes the parameters of `batch` samples at `out`; uniformHash(seed, i) is this batch's i-th
   * uniform draw in [0, 1). No allocation: it runs every training step.
   */
  protected abstract draw(f: Float32Array, out: Ptr, batch: number, seed: number): void;

  /** Runs the kernel: y from x with the drawn parameters (`seed` is draw's, for a kernel that draws its own). */
  protected abstract apply(b: Backend, x: Ptr, y: Ptr, drawn: Ptr, batch: number, seed: number): void;

  protected get height(): number {
    return this.inputShape[0]!;
  }

  protected get width(): number {
    return this.inputShape[1]!;
  }

  protected get channels(): number {
    return this.inputShape[2]!;
  }

  protected computeOutputShape(inputShape: Shape): Shape {
    if (inputShape.length !== 3) throw this.shapeError(inputShape, 'expects images: input of rank 3 per sample (height, width, channels)');
    return [...inputShape];
  }

  override plan(memory: MemoryPlan, maxBatch: number): void {
    this.y = memory.alloc(maxBatch * shapeSize(this.inputShape));
    this.drawn = memory.alloc(maxBatch * this.valuesPerSample);
  }

  forward(ctx: StepContext, x: Ptr, batch: number): Ptr {
    if (!ctx.training) return x;
    const seed = ctx.nextSeed();
    this.draw(ctx.backend.f32(), this.drawn, batch, seed);
    this.apply(ctx.backend, x, this.y, this.drawn, batch, seed);
    return this.y;
  }

  backward(): Ptr | null {
    // Unreachable when the model built: checkAugmentationPlacement refuses layers with parameters below.
    throw new Error(`${this.className} layer '${this.name}' has no backward pass; put augmentation layers before every layer with parameters`);
  }

  /** The config keys every augmentation layer writes. */
  protected seedConfig(): Record<string, unknown> {
    return { seed: this.seed };
  }
}

/**
 * Refuses a model where an augmentation layer follows a layer with parameters: its backward would
 * be needed (the transpose of a resampling) and it has none. Called when the model builds.
 */
export function checkAugmentationPlacement(layers: readonly Layer[]): void {
  const firstWithParams = layers.findIndex((l) => l.params.length > 0);
  if (firstWithParams < 0) return;
  const late = layers.slice(firstWithParams).find((l) => l instanceof Augmentation);
  if (late) {
    const owner = layers[firstWithParams]!;
    throw new Error(
      `Sequential: ${late.className} layer '${late.name}' comes after ${owner.className} layer '${owner.name}', which has parameters; ` +
        'augmentation layers have no backward pass, so they must come before every layer with parameters (put them first)',
    );
  }
}

/**
 * Keras' affine preprocessing layers (rotation, translation, zoom, flip): per sample, the 2×3
 * inverse affine map [a0 a1 a2; b0 b1 b2] from output pixels to input points, then one affineWarp.
 */
export abstract class AffineAugmentation extends Augmentation {
  readonly fillMode: FillModeName;
  readonly fillValue: number;
  readonly interpolation = 'bilinear';
  protected readonly valuesPerSample = 6;

  constructor(args: AffineAugmentationArgs, where: string) {
    super(args, where);
    [this.fillMode, this.fillValue] = checkFill(args, where);
  }

  protected apply(b: Backend, x: Ptr, y: Ptr, drawn: Ptr, batch: number): void {
    b.affineWarp(x, y, drawn, batch, this.height, this.width, this.channels, FillMode[this.fillMode] as FillModeCode, this.fillValue);
  }

  /** Writes one sample's map [a0 a1 a2; b0 b1 b2] at `at`. */
  protected static setMap(f: Float32Array, at: Ptr, a0: number, a1: number, a2: number, b0: number, b1: number, b2: number): void {
    f[at] = a0;
    f[at + 1] = a1;
    f[at + 2] = a2;
    f[at + 3] = b0;
    f[at + 4] = b1;
    f[at + 5] = b2;
  }

  protected fillConfig(): Record<string, unknown> {
    return { fill_mode: this.fillMode, fill_value: this.fillValue, interpolation: this.interpolation, ...this.seedConfig() };
  }
}

/** The fill mode (default 'reflect') and fill value of a resampling layer's arguments, checked. */
export function checkFill(args: FillArgs, where: string): [FillModeName, number] {
  const fillMode = args.fillMode ?? 'reflect';
  if (!Object.hasOwn(FillMode, fillMode)) throw new Error(`${where}: fillMode must be one of ${Object.keys(FillMode).join(', ')}, got ${JSON.stringify(args.fillMode)}`);
  const fillValue = args.fillValue ?? 0;
  if (typeof fillValue !== 'number' || !Number.isFinite(fillValue)) throw new Error(`${where}: fillValue must be a finite number, got ${JSON.stringify(args.fillValue)}`);
  if (args.interpolation !== undefined && args.interpolation !== 'bilinear') {
    throw new Error(`${where}: interpolation ${JSON.stringify(args.interpolation)} is not supported (only 'bilinear')`);
  }
  return [fillMode, fillValue];
}

/** The range a Keras factor stands for: f → [−f, f] (or [f, f] when `symmetric` is false), [a, b] → [a, b]. */
export function factorRange(factor: Factor, what: string, where: string, symmetric = true): [number, number] {
  const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
  if (finite(factor)) return symmetric ? [-Math.abs(factor), Math.abs(factor)] : [factor, factor];
  if (Array.isArray(factor) && factor.length === 2 && factor.every(finite)) {
    const [lower, upper] = factor as [number, number];
    if (upper < lower) throw new Error(`${where}: ${what} [${lower}, ${upper}] has its upper bound below its lower bound`);
    return [lower, upper];
  }
  throw new Error(`${where}: ${what} must be a finite number or a pair [lower, upper], got ${JSON.stringify(factor)}`);
}

/** The options every affine augmentation layer reads from a Keras config. */
export function affineConfigArgs(c: Config): AffineAugmentationArgs {
  const out: AffineAugmentationArgs = {};
  if (c['fill_mode'] !== undefined && c['fill_mode'] !== null) out.fillMode = c['fill_mode'] as FillModeName;
  if (c['fill_value'] !== undefined && c['fill_value'] !== null) out.fillValue = c['fill_value'] as number;
  if (c['interpolation'] !== undefined && c['interpolation'] !== null) out.interpolation = c['interpolation'] as string;
  return { ...out, ...seedConfigArg(c) };
}

export function seedConfigArg(c: Config): { seed?: number | null } {
  return c['seed'] === undefined ? {} : { seed: c['seed'] as number | null };
}
