import { SlidingPool2D, slidingPoolArgs, type SlidingPool2DArgs } from './pooling2d.js';
import { registerLayer } from './registry.js';

export type MaxPool2DArgs = SlidingPool2DArgs;

/** Max pooling over NHWC windows; remembers each winner so backward routes the gradient to it. */
export class MaxPool2D extends SlidingPool2D {
  readonly className = 'MaxPooling2D';

  constructor(args: MaxPool2DArgs = {}) {
    super('max', 'MaxPool2D', args);
  }
}

registerLayer('MaxPooling2D', (c) => new MaxPool2D(slidingPoolArgs(c)), ['MaxPool2D']);
