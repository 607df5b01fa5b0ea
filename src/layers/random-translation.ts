import { uniformHash, type Ptr } from '../kernels/kernels.js';
import { commonArgs } from './config.js';
import { affineConfigArgs, AffineAugmentation, factorRange, type AffineAugmentationArgs, type Factor } from './augmentation.js';
import { layerLabel } from './layer.js';
import { registerLayer } from './registry.js';

export interface RandomTranslationArgs extends AffineAugmentationArgs {
  /** Fraction of the height: f shifts each image vertically by a distance drawn from [−f·h, f·h] (negative is up); [a, b] from [a·h, b·h]. Within [−1, 1]. */
  heightFactor: Factor;
  /** The same for the width (negative is left). */
  widthFactor: Factor;
}

/** Keras' RandomTranslation: while training, shifts each image by a random fraction of its size. */
export class RandomTranslation extends AffineAugmentation {
  readonly className = 'RandomTranslation';
  readonly heightFactor: Factor;
  readonly widthFactor: Factor;
  private readonly heightRange: [number, number];
  private readonly widthRange: [number, number];

  constructor(args: RandomTranslationArgs) {
    const where = layerLabel('RandomTranslation', args.name);
    super(args, where);
    this.heightFactor = args.heightFactor;
    this.widthFactor = args.widthFactor;
    this.heightRange = withinOne(factorRange(args.heightFactor, 'heightFactor', where), 'heightFactor', where);
    this.widthRange = withinOne(factorRange(args.widthFactor, 'widthFactor', where), 'widthFactor', where);
  }

  protected draw(f: Float32Array, out: Ptr, batch: number, seed: number): void {
    const hLower = this.heightRange[0];
    const hUpper = this.heightRange[1];
    const wLower = this.widthRange[0];
    const wUpper = this.widthRange[1];
    for (let b = 0; b < batch; b++) {
      const dy = (hLower + (hUpper - hLower) * uniformHash(seed, 2 * b)) * this.height;
      const dx = (wLower + (wUpper - wLower) * uniformHash(seed, 2 * b + 1)) * this.width;
      // The output pixel (x, y) reads the input at (x − dx, y − dy).
      AffineAugmentation.setMap(f, out + 6 * b, 1, 0, -dx, 0, 1, -dy);
    }
  }

  getConfig(): Record<string, unknown> {
    return { height_factor: this.heightFactor, width_factor: this.widthFactor, ...this.fillConfig() };
  }
}

function withinOne(range: [number, number], what: string, where: string): [number, number] {
  if (Math.abs(range[0]) > 1 || Math.abs(range[1]) > 1) throw new Error(`${where}: ${what} must lie within [-1, 1], got [${range[0]}, ${range[1]}]`);
  return range;
}

registerLayer('RandomTranslation', (c) =>
  new RandomTranslation({ heightFactor: c['height_factor'] as Factor, widthFactor: c['width_factor'] as Factor, ...affineConfigArgs(c), ...commonArgs(c) }),
);
