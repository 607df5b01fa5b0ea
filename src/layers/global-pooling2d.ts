import type { Ptr, Window2D } from '../kernels/kernels.js';
import type { MemoryPlan } from '../memory-plan.js';
import type { Shape } from '../tensor.js';
import { commonArgs, type Config } from './config.js';
import { Layer, type LayerArgs, type StepContext } from './layer.js';
import { registerLayer } from './registry.js';

/**
 * GlobalAveragePooling2D and GlobalMaxPooling2D: one value per channel from each whole image,
 * [height, width, channels] → [channels] (Keras' keepdims false). They are the window kernels
 * with the window the size of the image.
 */
abstract class GlobalPooling2D extends Layer {
  protected g!: Window2D;
  protected y: Ptr = -1;

  constructor(args: LayerArgs = {}) {
    super(args);
  }

  protected computeOutputShape(inputShape: Shape): Shape {
    const size: [number, number] = [inputShape[0] ?? 1, inputShape[1] ?? 1];
    this.g = this.windowGeometry(inputShape, size, size, 'valid', 'global pool');
    return [this.g.c];
  }

  override plan(memory: MemoryPlan, maxBatch: number): void {
    this.y = memory.alloc(maxBatch * this.g.c);
  }

  getConfig(): Record<string, unknown> {
    return { data_format: 'channels_last', keepdims: false };
  }
}

export class GlobalAveragePooling2D extends GlobalPooling2D {
  readonly className = 'GlobalAveragePooling2D';

  forward(ctx: StepContext, x: Ptr, batch: number): Ptr {
    this.g.n = batch;
    ctx.backend.avgPool(x, this.y, this.g);
    return this.y;
  }

  backward(ctx: StepContext, dy: Ptr, dx: Ptr | null, batch: number): Ptr | null {
    if (dx === null) return null;
    this.g.n = batch;
    ctx.backend.avgPoolBackward(dy, dx, this.g);
    return dx;
  }
}

export class GlobalMaxPooling2D extends GlobalPooling2D {
  readonly className = 'GlobalMaxPooling2D';
  private argmax: Ptr = -1;

  override plan(memory: MemoryPlan, maxBatch: number): void {
    super.plan(memory, maxBatch);
    this.argmax = memory.alloc(maxBatch * this.g.c);
  }

  forward(ctx: StepContext, x: Ptr, batch: number): Ptr {
    this.g.n = batch;
    ctx.backend.maxPool(x, this.y, this.argmax, this.g);
    return this.y;
  }

  backward(ctx: StepContext, dy: Ptr, dx: Ptr | null, batch: number): Ptr | null {
    if (dx === null) return null;
    this.g.n = batch;
    ctx.backend.maxPoolBackward(dy, this.argmax, dx, this.g);
    return dx;
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
