import type { ActivationName } from '../activations.js';
import { commonArgs } from './config.js';
import { layerLabel, type LayerArgs } from './layer.js';
import { PiecewiseLinear } from './piecewise-linear.js';
import { registerLayer } from './registry.js';

export interface ReLUArgs extends LayerArgs {
  /** The output's ceiling, ≥ 0 (default none). */
  maxValue?: number | null;
  /** The slope below the threshold, ≥ 0 (default 0). */
  negativeSlope?: number;
  /** Inputs at or below it are damped by negativeSlope, ≥ 0 (default 0). */
  threshold?: number;
}

/**
 * Keras ReLU: y = x > threshold ? min(x, maxValue) : negativeSlope·(x − threshold), elementwise.
 * TF.js 4.22's ReLU reads only max_value: it loads a model with the other two options but
 * ignores them.
 */
export class ReLU extends PiecewiseLinear {
  readonly className = 'ReLU';
  readonly maxValue: number | null;
  readonly negativeSlope: number;
  readonly threshold: number;
  protected readonly pieces: readonly [number, number, number];

  constructor(args: ReLUArgs = {}) {
    super(args);
    // Keras refuses negative values for all three.
    const check = (key: keyof ReLUArgs, v: unknown): number => {
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new Error(`${layerLabel('ReLU', args.name)}: ${key} must be a finite number ≥ 0, got ${String(v)}`);
      return v;
    };
    this.maxValue = args.maxValue == null ? null : check('maxValue', args.maxValue);
    this.negativeSlope = check('negativeSlope', args.negativeSlope ?? 0);
    this.threshold = check('threshold', args.threshold ?? 0);
    this.pieces = [this.maxValue ?? Infinity, this.negativeSlope, this.threshold];
  }

  /** Plain relu (the defaults) is what a BatchNormalization before it can apply itself. */
  override get absorbableActivation(): ActivationName | null {
    return this.maxValue === null && this.negativeSlope === 0 && this.threshold === 0 ? 'relu' : null;
  }

  getConfig(): Record<string, unknown> {
    return { max_value: this.maxValue, negative_slope: this.negativeSlope, threshold: this.threshold };
  }
}

// The constructor checks the values (null or absent: the default).
registerLayer('ReLU', (c) => new ReLU({ maxValue: c['max_value'], negativeSlope: c['negative_slope'], threshold: c['threshold'], ...commonArgs(c) } as ReLUArgs));
