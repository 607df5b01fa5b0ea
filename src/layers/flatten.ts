import type { Ptr } from '../kernels/kernels.js';
import { shapeSize, type Shape } from '../tensor.js';
import { Layer, type StepContext } from './layer.js';

/** Collapses each sample to one axis. NHWC data is already flat in memory, so this copies nothing. */
export class Flatten extends Layer {
  readonly className = 'Flatten';

  constructor(args: { inputShape?: Shape; name?: string } = {}) {
    super(args);
  }

  protected computeOutputShape(inputShape: Shape): Shape {
    return [shapeSize(inputShape)];
  }

  forward(_ctx: StepContext, x: Ptr): Ptr {
    return x;
  }

  backward(_ctx: StepContext, dy: Ptr): Ptr {
    return dy;
  }

  getConfig(): Record<string, unknown> {
    return { data_format: 'channels_last' };
  }
}
