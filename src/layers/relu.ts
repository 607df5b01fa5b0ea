import type { Ptr } from '../kernels/kernels.js';
import type { MemoryPlan } from '../memory-plan.js';
import { shapeSize, type Shape } from '../tensor.js';
import { commonArgs } from './config.js';
import { Layer, layerLabel, type LayerArgs, type StepContext } from './layer.js';
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
export class ReLU extends Layer {
  readonly className = 'ReLU';
  readonly maxValue: number | null;
  readonly negativeSlope: number;
  readonly threshold: number;
  private x: Ptr = -1;
  private y: Ptr = -1;

  constructor(args: ReLUArgs = {}) {
    super(args);
    const where = layerLabel('ReLU', args.name);
    // Keras refuses negative values for all three.
    const check = (key: keyof ReLUArgs, v: unknown): number => {
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new Error(`${where}: ${key} must be a finite number ≥ 0, got ${String(v)}`);
      return v;
    };
    this.maxValue = args.maxValue === undefined || args.maxValue === null ? null : check('maxValue', args.maxValue);
    this.negativeSlope = check('negativeSlope', args.negativeSlope ?? 0);
    this.threshold = check('threshold', args.threshold ?? 0);
  }

  protected computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape];
  }

  override plan(memory: MemoryPlan, maxBatch: number): void {
    this.y = memory.alloc(maxBatch * shapeSize(this.inputShape));
  }

  forward(ctx: StepContext, x: Ptr, batch: number): Ptr {
    this.x = x;
    ctx.backend.kerasRelu(x, this.y, batch * shapeSize(this.inputShape), this.maxValue ?? Infinity, this.negativeSlope, this.threshold);
    return this.y;
  }

  backward(ctx: StepContext, dy: Ptr, _dx: Ptr | null, batch: number): Ptr {
    ctx.backend.kerasReluBackward(this.x, dy, dy, batch * shapeSize(this.inputShape), this.maxValue ?? Infinity, this.negativeSlope, this.threshold);
    return dy;
  }

  getConfig(): Record<string, unknown> {
    return { max_value: this.maxValue, negative_slope: this.negativeSlope, threshold: this.threshold };
  }
}

// The constructor checks the values (null or absent max_value: no ceiling).
registerLayer('ReLU', (c) =>
  new ReLU({
    maxValue: c['max_value'] as number | null | undefined,
    negativeSlope: (c['negative_slope'] ?? undefined) as number | undefined,
    threshold: (c['threshold'] ?? undefined) as number | undefined,
    ...commonArgs(c),
  }),
);
