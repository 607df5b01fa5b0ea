/**
 * BatchNormalization at inference: (x − moving_mean) / √(moving_variance + ε) · gamma + beta over
 * the last (channel) axis, ONNX BatchNormalization over axis 1 of an NCHW or [N, C] input.
 * Missing gamma (scale: false) or beta (center: false) export as ones and zeros.
 */
import { booleanOption, numberOption } from '../keras-config.js';
import type { Converter } from './registry.js';

const batchNormalization: Converter = (ctx) => {
  const rank = ctx.input.shape.length;
  const axis = ctx.config['axis'] ?? -1;
  const lastAxis = (a: unknown): boolean => a === -1 || a === rank;
  if (!(lastAxis(axis) || (Array.isArray(axis) && axis.length === 1 && lastAxis(axis[0])))) throw ctx.unsupported(`axis ${JSON.stringify(axis)} (only the last, channel axis)`);
  if (rank !== 1 && rank !== 3) throw ctx.unsupported(`an input of shape [${ctx.input.shape.join(', ')}] (only [features] or [height, width, channels])`);
  const c = ctx.input.shape[rank - 1]!;
  const param = (name: string, present: boolean, fill: number): string => {
    const data = present ? ctx.weight(name, [c]).data : new Float32Array(c).fill(fill);
    return ctx.graph.floats(`${ctx.base}/${name}`, [c], data);
  };
  const inputs = [
    rank === 3 ? ctx.graph.nchw(ctx.input, ctx.base) : ctx.input.name,
    param('gamma', booleanOption(ctx, 'scale', true), 1),
    param('beta', booleanOption(ctx, 'center', true), 0),
    param('moving_mean', true, 0),
    param('moving_variance', true, 1),
  ];
  const y = ctx.graph.node('BatchNormalization', inputs, ctx.base, { epsilon: { float: numberOption(ctx, 'epsilon', 1e-3) } });
  return { name: y, shape: ctx.input.shape, layout: rank === 3 ? 'nchw' : 'keras' };
};

export const normalizationConverters: Record<string, Converter> = { BatchNormalization: batchNormalization };
