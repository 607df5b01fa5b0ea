import { commonArgs } from './config.js';
import { layerLabel, type LayerArgs } from './layer.js';
import { PiecewiseLinear } from './piecewise-linear.js';
import { registerLayer } from './registry.js';

export interface LeakyReLUArgs extends LayerArgs {
  /** The slope for x ≤ 0 (TF.js' default 0.3; Keras 3 calls it negative_slope). */
  alpha?: number;
}

/** y = x > 0 ? x : alpha·x, elementwise (TF.js LeakyReLU). */
export class LeakyReLU extends PiecewiseLinear {
  readonly className = 'LeakyReLU';
  readonly alpha: number;
  protected readonly pieces: readonly [number, number, number];

  constructor(args: LeakyReLUArgs = {}) {
    super(args);
    this.alpha = args.alpha ?? 0.3;
    if (typeof this.alpha !== 'number' || !Number.isFinite(this.alpha)) {
      throw new Error(`${layerLabel('LeakyReLU', args.name)}: alpha must be a finite number, got ${JSON.stringify(args.alpha)}`);
    }
    this.pieces = [Infinity, this.alpha, 0];
  }

  getConfig(): Record<string, unknown> {
    return { alpha: this.alpha };
  }
}

// The constructor checks alpha (Keras 3 names it negative_slope).
registerLayer('LeakyReLU', (c) => new LeakyReLU({ alpha: (c['alpha'] ?? c['negative_slope'] ?? undefined) as number | undefined, ...commonArgs(c) }));
