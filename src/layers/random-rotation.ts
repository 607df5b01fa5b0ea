import { uniformHash, type Ptr } from '../kernels/kernels.js';
import { commonArgs } from './config.js';
import { affineConfigArgs, AffineAugmentation, factorRange, type AffineAugmentationArgs, type Factor } from './augmentation.js';
import { layerLabel } from './layer.js';
import { registerLayer } from './registry.js';

export interface RandomRotationArgs extends AffineAugmentationArgs {
  /** Fraction of a full turn (2π): f rotates each image by an angle drawn from [−f·2π, f·2π]; [a, b] from [a·2π, b·2π]. Positive is counter-clockwise. */
  factor: Factor;
}

/** Keras' RandomRotation: while training, rotates each image about its centre by a random angle. */
export class RandomRotation extends AffineAugmentation {
  readonly className = 'RandomRotation';
  readonly factor: Factor;
  private readonly range: [number, number];

  constructor(args: RandomRotationArgs) {
    const where = layerLabel('RandomRotation', args.name);
    super(args, where);
    this.factor = args.factor;
    this.range = factorRange(args.factor, 'factor', where);
  }

  protected draw(f: Float32Array, out: Ptr, batch: number, seed: number): void {
    const lower = this.range[0];
    const upper = this.range[1];
    const h = this.height - 1;
    const w = this.width - 1;
    for (let b = 0; b < batch; b++) {
      const angle = 2 * Math.PI * (lower + (upper - lower) * uniformHash(seed, b));
      const cos = Math.cos(angle);
      const sin = Math.sin(angle);
      // Keras' rotation matrix: about the image centre ((w − 1)/2, (h − 1)/2).
      AffineAugmentation.setMap(f, out + 6 * b, cos, -sin, (w - (cos * w - sin * h)) / 2, sin, cos, (h - (sin * w + cos * h)) / 2);
    }
  }

  getConfig(): Record<string, unknown> {
    return { factor: this.factor, ...this.fillConfig() };
  }
}

registerLayer('RandomRotation', (c) => new RandomRotation({ factor: c['factor'] as Factor, ...affineConfigArgs(c), ...commonArgs(c) }));
