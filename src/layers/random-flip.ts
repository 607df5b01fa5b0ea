import { uniformHash, type Ptr } from '../kernels/kernels.js';
import { commonArgs } from './config.js';
import { AffineAugmentation, seedConfigArg, type AugmentationArgs } from './augmentation.js';
import { layerLabel } from './layer.js';
import { registerLayer } from './registry.js';

export type FlipMode = 'horizontal' | 'vertical' | 'horizontal_and_vertical';
const MODES: readonly FlipMode[] = ['horizontal', 'vertical', 'horizontal_and_vertical'];

export interface RandomFlipArgs extends AugmentationArgs {
  /** Which flips may happen, each with probability ½ per image (default 'horizontal_and_vertical'). */
  mode?: FlipMode;
}

/**
 * Keras' RandomFlip: while training, mirrors each image left–right and/or top–bottom with
 * probability ½. A mirror lands on pixel centres, so the bilinear warp copies values exactly.
 */
export class RandomFlip extends AffineAugmentation {
  readonly className = 'RandomFlip';
  readonly mode: FlipMode;

  constructor(args: RandomFlipArgs = {}) {
    const where = layerLabel('RandomFlip', args.name);
    super({ ...args, fillMode: 'constant' }, where);
    this.mode = args.mode ?? 'horizontal_and_vertical';
    if (!MODES.includes(this.mode)) throw new Error(`${where}: mode must be one of ${MODES.join(', ')}, got ${JSON.stringify(args.mode)}`);
  }

  protected draw(f: Float32Array, out: Ptr, batch: number, seed: number): void {
    const horizontal = this.mode !== 'vertical';
    const vertical = this.mode !== 'horizontal';
    for (let b = 0; b < batch; b++) {
      const fx = horizontal && uniformHash(seed, 2 * b) < 0.5;
      const fy = vertical && uniformHash(seed, 2 * b + 1) < 0.5;
      AffineAugmentation.setMap(f, out + 6 * b, fx ? -1 : 1, 0, fx ? this.width - 1 : 0, 0, fy ? -1 : 1, fy ? this.height - 1 : 0);
    }
  }

  getConfig(): Record<string, unknown> {
    return { mode: this.mode, ...this.seedConfig() };
  }
}

registerLayer('RandomFlip', (c) => new RandomFlip({ ...(c['mode'] === undefined ? {} : { mode: c['mode'] as FlipMode }), ...seedConfigArg(c), ...commonArgs(c) }));
