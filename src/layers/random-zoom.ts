import { uniformHash, type Ptr } from '../kernels/kernels.js';
import { commonArgs } from './config.js';
import { affineConfigArgs, AffineAugmentation, factorRange, type AffineAugmentationArgs, type Factor } from './augmentation.js';
import { layerLabel } from './layer.js';
import { registerLayer } from './registry.js';

export interface RandomZoomArgs extends AffineAugmentationArgs {
  /**
   * f zooms each image vertically by a factor drawn from [1 − f, 1 + f] of its height; [a, b]
   * from [1 + a, 1 + b]. Negative values zoom in (the image looks bigger), positive zoom out, as
   * in Keras; bounds below −1 are refused.
   */
  heightFactor: Factor;
  /** The same for the width; without it both axes share one draw (the aspect ratio is kept). */
  widthFactor?: Factor | null;
}

/** Keras' RandomZoom: while training, zooms each image in or out about its centre. */
export class RandomZoom extends AffineAugmentation {
  readonly className = 'RandomZoom';
  readonly heightFactor: Factor;
  readonly widthFactor: Factor | null;
  private readonly heightRange: [number, number];
  private readonly widthRange: [number, number] | null;

  constructor(args: RandomZoomArgs) {
    const where = layerLabel('RandomZoom', args.name);
    super(args, where);
    this.heightFactor = args.heightFactor;
    this.widthFactor = args.widthFactor ?? null;
    this.heightRange = aboveMinusOne(factorRange(args.heightFactor, 'heightFactor', where), 'heightFactor', where);
    this.widthRange = this.widthFactor === null ? null : aboveMinusOne(factorRange(this.widthFactor, 'widthFactor', where), 'widthFactor', where);
  }

  protected draw(f: Float32Array, out: Ptr, batch: number, seed: number): void {
    const hLower = this.heightRange[0];
    const hUpper = this.heightRange[1];
    const h = this.height - 1;
    const w = this.width - 1;
    for (let b = 0; b < batch; b++) {
      const zy = 1 + hLower + (hUpper - hLower) * uniformHash(seed, 2 * b);
      const zx = this.widthRange ? 1 + this.widthRange[0] + (this.widthRange[1] - this.widthRange[0]) * uniformHash(seed, 2 * b + 1) : zy;
      // Keras' zoom matrix: input point = zoom · (output − centre) + centre.
      AffineAugmentation.setMap(f, out + 6 * b, zx, 0, (w / 2) * (1 - zx), 0, zy, (h / 2) * (1 - zy));
    }
  }

  getConfig(): Record<string, unknown> {
    return { height_factor: this.heightFactor, width_factor: this.widthFactor, ...this.fillConfig() };
  }
}

function aboveMinusOne(range: [number, number], what: string, where: string): [number, number] {
  if (range[0] < -1) throw new Error(`${where}: ${what} must not go below -1 (a zoom factor of 0), got [${range[0]}, ${range[1]}]`);
  return range;
}

registerLayer('RandomZoom', (c) =>
  new RandomZoom({ heightFactor: c['height_factor'] as Factor, widthFactor: (c['width_factor'] ?? null) as Factor | null, ...affineConfigArgs(c), ...commonArgs(c) }),
);
