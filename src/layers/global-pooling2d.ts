import type { Shape } from '../tensor.js';
import { commonArgs, type Config } from './config.js';
import type { LayerArgs } from './layer.js';
import { Pooling2D, type PoolReduction } from './pooling2d.js';
import { registerLayer } from './registry.js';

/**
 * One value per channel from each whole image, [height, width, channels] → [channels] (Keras'
 * keepdims false): the window kernels with one window the size of the image.
 */
abstract class GlobalPooling2D extends Pooling2D {
  constructor(reduction: PoolReduction, args: LayerArgs) {
    super(reduction, args);
  }

  protected computeOutputShape(inputShape: Shape): Shape {
    const size: [number, number] = [inputShape[0] ?? 1, inputShape[1] ?? 1];
    this.g = this.windowGeometry(inputShape, size, size, 'valid', 'global pool');
    return [this.g.c];
  }

  getConfig(): Record<string, unknown> {
    return { data_format: 'channels_last', keepdims: false };
  }
}

export class GlobalAveragePooling2D extends GlobalPooling2D {
  readonly className = 'GlobalAveragePooling2D';

  constructor(args: LayerArgs = {}) {
    super('average', args);
  }
}

export class GlobalMaxPooling2D extends GlobalPooling2D {
  readonly className = 'GlobalMaxPooling2D';

  constructor(args: LayerArgs = {}) {
    super('max', args);
  }
}

/** keepdims true would give [1, 1, channels], which TF.js 4.22 ignores (it always drops them). */
function globalPoolArgs(c: Config, where: string): LayerArgs {
  if (c['keepdims'] !== undefined && c['keepdims'] !== null && c['keepdims'] !== false) {
    throw new Error(`${where}: keepdims ${JSON.stringify(c['keepdims'])} is not supported (only false)`);
  }
  return commonArgs(c);
}

registerLayer('GlobalAveragePooling2D', (c, where) => new GlobalAveragePooling2D(globalPoolArgs(c, where)), ['GlobalAvgPool2D']);
registerLayer('GlobalMaxPooling2D', (c, where) => new GlobalMaxPooling2D(globalPoolArgs(c, where)), ['GlobalMaxPool2D']);
