import type { Ptr } from '../kernels/kernels.js';
import { shapeSize, type Shape } from '../tensor.js';
import { commonArgs } from './config.js';
import { Layer, type LayerArgs, type StepContext } from './layer.js';
import { registerLayer } from './registry.js';

/** Collapses each sample to one axis. NHWC data is already flat in memory, so this copies nothing. */
export class Flatten extends Layer {
  readonly className = 'Flatten';

  constructor(args: LayerArgs = {}) {
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

registerLayer('Flatten', (c) => new Flatten(commonArgs(c)));
