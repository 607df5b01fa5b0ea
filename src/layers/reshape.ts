import type { Ptr } from '../kernels/kernels.js';
import { shapeSize, type Shape } from '../tensor.js';
import { commonArgs } from './config.js';
import { Layer, layerLabel, type LayerArgs, type StepContext } from './layer.js';
import { registerLayer } from './registry.js';

export interface ReshapeArgs extends LayerArgs {
  /** The per-sample output shape; one entry may be -1 (inferred from the input's size). */
  targetShape: number[];
}

/** Gives each sample a new shape with the same values in the same (row-major) order: copies nothing. */
export class Reshape extends Layer {
  readonly className = 'Reshape';
  readonly targetShape: readonly number[];

  constructor(args: ReshapeArgs) {
    super(args);
    const where = layerLabel('Reshape', args.name);
    const t: unknown = args.targetShape;
    if (!Array.isArray(t) || t.length === 0 || !t.every((d) => Number.isInteger(d) && (d > 0 || d === -1))) {
      throw new Error(`${where}: targetShape must be a non-empty array of positive integers (one may be -1), got ${JSON.stringify(t)}`);
    }
    if (t.filter((d) => d === -1).length > 1) throw new Error(`${where}: targetShape may contain -1 only once, got ${JSON.stringify(t)}`);
    this.targetShape = [...(t as number[])];
  }

  protected computeOutputShape(inputShape: Shape): Shape {
    const size = shapeSize(inputShape);
    const known = this.targetShape.reduce((n, d) => (d === -1 ? n : n * d), 1);
    const inferred = size / known;
    const out = this.targetShape.map((d) => (d === -1 ? inferred : d));
    if (!Number.isInteger(inferred) || shapeSize(out) !== size) {
      throw this.shapeError(inputShape, `cannot reshape ${size} values per sample to ${JSON.stringify(this.targetShape)} (${known} values${this.targetShape.includes(-1) ? ' times a whole number' : ''})`);
    }
    return out;
  }

  forward(_ctx: StepContext, x: Ptr): Ptr {
    return x;
  }

  backward(_ctx: StepContext, dy: Ptr): Ptr {
    return dy;
  }

  getConfig(): Record<string, unknown> {
    return { target_shape: [...this.targetShape] };
  }
}

registerLayer('Reshape', (c, where) => {
  const t = c['target_shape'];
  // TF.js writes an inferred dimension as null, Keras as -1.
  if (!Array.isArray(t)) throw new Error(`${where}: config.target_shape must be an array, got ${JSON.stringify(t)}`);
  return new Reshape({ targetShape: t.map((d) => (d === null ? -1 : d)) as number[], ...commonArgs(c) });
});
