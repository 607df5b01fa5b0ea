import { uniformHash, type Ptr } from '../kernels/kernels.js';
import { commonArgs } from './config.js';
import { affineConfigArgs, AffineAugmentation, factorRange, type AffineAugmentationArgs, type Factor } from './augmentation.js';
import { layerLabel } from './layer.js';
import { registerLayer } from './registry.js';

export interface RandomAffineArgs extends AffineAugmentationArgs {
  /** As RandomRotation's factor: a fraction of a full turn (default 0, no rotation). */
  rotation?: Factor;
  /** As RandomTranslation's factors, one for both axes: a fraction of the height and of the width (default 0). */
  translation?: Factor;
  /** As RandomZoom's heightFactor with the aspect ratio kept: [1 − f, 1 + f] (default 0, no zoom). */
  zoom?: Factor;
}

/**
 * wasmnn's own augmentation layer (Keras has none; torchvision's RandomAffine is the model):
 * RandomRotation, RandomTranslation and RandomZoom with Keras' meanings, drawn independently per
 * sample and applied as ONE resampling, the composed map of the three Keras layers stacked in that
 * order. Stacking the three layers resamples three times: three warps, and every bilinear
 * resampling blurs, so training sees softer strokes than predict does; this is one warp.
 * Saved under its own class name, so Keras and TF.js do not know it.
 */
export class RandomAffine extends AffineAugmentation {
  readonly className = 'RandomAffine';
  readonly rotation: Factor;
  readonly translation: Factor;
  readonly zoom: Factor;
  private readonly rotationRange: [number, number];
  private readonly translationRange: [number, number];
  private readonly zoomRange: [number, number];

  constructor(args: RandomAffineArgs = {}) {
    const where = layerLabel('RandomAffine', args.name);
    super(args, where);
    this.rotation = args.rotation ?? 0;
    this.translation = args.translation ?? 0;
    this.zoom = args.zoom ?? 0;
    this.rotationRange = factorRange(this.rotation, 'rotation', where);
    this.translationRange = factorRange(this.translation, 'translation', where);
    if (Math.abs(this.translationRange[0]) > 1 || Math.abs(this.translationRange[1]) > 1) throw new Error(`${where}: translation must lie within [-1, 1], got [${this.translationRange.join(', ')}]`);
    this.zoomRange = factorRange(this.zoom, 'zoom', where);
    if (this.zoomRange[0] <= -1) throw new Error(`${where}: zoom must stay above -1 (a zoom factor of 0), got [${this.zoomRange.join(', ')}]`);
  }

  protected draw(f: Float32Array, out: Ptr, batch: number, seed: number): void {
    const cx = (this.width - 1) / 2;
    const cy = (this.height - 1) / 2;
    for (let b = 0; b < batch; b++) {
      const angle = 2 * Math.PI * between(this.rotationRange, uniformHash(seed, 4 * b));
      const dy = between(this.translationRange, uniformHash(seed, 4 * b + 1)) * this.height;
      const dx = between(this.translationRange, uniformHash(seed, 4 * b + 2)) * this.width;
      const z = 1 + between(this.zoomRange, uniformHash(seed, 4 * b + 3));
      // The inverse map (output pixel p → input point) of zoom z about the centre c, then the shift
      // (dx, dy), then the rotation about c, as the Keras layers stack: R·(z·(p − c) − t) + c.
      const cos = Math.cos(angle);
      const sin = Math.sin(angle);
      const m00 = cos * z, m01 = -sin * z, m10 = sin * z, m11 = cos * z;
      AffineAugmentation.setMap(f, out + 6 * b, m00, m01, cx - (m00 * cx + m01 * cy) - (cos * dx - sin * dy), m10, m11, cy - (m10 * cx + m11 * cy) - (sin * dx + cos * dy));
    }
  }

  getConfig(): Record<string, unknown> {
    return { rotation: this.rotation, translation: this.translation, zoom: this.zoom, ...this.fillConfig() };
  }
}

/** The point a fraction t of the way through [lower, upper]. */
function between(range: readonly [number, number], t: number): number {
  return range[0] + (range[1] - range[0]) * t;
}

registerLayer('RandomAffine', (c) => {
  const optional = (key: string): Factor | undefined => (c[key] === undefined || c[key] === null ? undefined : (c[key] as Factor));
  const args: RandomAffineArgs = { ...affineConfigArgs(c), ...commonArgs(c) };
  for (const key of ['rotation', 'translation', 'zoom'] as const) {
    const v = optional(key);
    if (v !== undefined) args[key] = v;
  }
  return new RandomAffine(args);
});
