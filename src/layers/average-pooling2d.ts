import { SlidingPool2D, slidingPoolArgs, type SlidingPool2DArgs } from './pooling2d.js';
import { registerLayer } from './registry.js';

export type AveragePooling2DArgs = SlidingPool2DArgs;

/**
 * Average pooling over NHWC windows. With 'same' padding the padded positions are left out of
 * each average (TensorFlow's and Keras' rule), so border outputs average fewer inputs.
 */
export class AveragePooling2D extends SlidingPool2D {
  readonly className = 'AveragePooling2D';

  constructor(args: AveragePooling2DArgs = {}) {
    super('average', 'AveragePooling2D', args);
  }
}

registerLayer('AveragePooling2D', (c) => new AveragePooling2D(slidingPoolArgs(c)), ['AvgPool2D']);
