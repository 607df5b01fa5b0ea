/**
 * Pooling: MaxPooling2D → MaxPool, AveragePooling2D → AveragePool (padding excluded from the
 * average, as TensorFlow's 'same'), GlobalAverage/GlobalMaxPooling2D → GlobalAveragePool /
 * GlobalMaxPool followed by a Flatten unless keepdims.
 */
import type { LayerContext, Value } from '../graph-builder.js';
import { booleanOption, checkChannelsLast, expectRank, pairOption, paddingOption } from '../keras-config.js';
import type { Converter } from './registry.js';
import { windowGeometry } from './window.js';

function pool(opType: 'MaxPool' | 'AveragePool'): Converter {
  return (ctx) => {
    checkChannelsLast(ctx);
    expectRank(ctx, 3, 'an image [height, width, channels]');
    const [h, w, c] = ctx.input.shape as [number, number, number];
    const poolSize = pairOption(ctx, 'pool_size', [2, 2]);
    const win = windowGeometry(ctx, [h, w], poolSize, pairOption(ctx, 'strides', poolSize), [1, 1], paddingOption(ctx));
    const attributes = { kernel_shape: win.kernel, strides: win.strides, pads: win.pads, ...(opType === 'AveragePool' ? { count_include_pad: 0 } : {}) };
    const y = ctx.graph.node(opType, [ctx.graph.nchw(ctx.input, ctx.base)], ctx.base, attributes);
    return { name: y, shape: [...win.out, c], layout: 'nchw' };
  };
}

function globalPool(opType: 'GlobalAveragePool' | 'GlobalMaxPool'): Converter {
  return (ctx: LayerContext): Value => {
    checkChannelsLast(ctx);
    expectRank(ctx, 3, 'an image [height, width, channels]');
    const c = ctx.input.shape[2]!;
    const pooled = ctx.graph.node(opType, [ctx.graph.nchw(ctx.input, ctx.base)], ctx.base);
    if (booleanOption(ctx, 'keepdims', false)) return { name: pooled, shape: [1, 1, c], layout: 'nchw' };
    return { name: ctx.graph.node('Flatten', [pooled], `${ctx.base}/flatten`, { axis: 1 }), shape: [c], layout: 'keras' };
  };
}

export const poolingConverters: Record<string, Converter> = {
  MaxPooling2D: pool('MaxPool'),
  AveragePooling2D: pool('AveragePool'),
  GlobalAveragePooling2D: globalPool('GlobalAveragePool'),
  GlobalMaxPooling2D: globalPool('GlobalMaxPool'),
};
