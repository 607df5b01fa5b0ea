/**
 * Dense: Gemm (x · kernel + bias) on a flat input; on a higher-rank input, Keras applies the
 * kernel to the last axis, so the input goes back to Keras order and MatMul + Add do it.
 */
import { booleanOption, numberOption } from '../keras-config.js';
import { applyActivation } from './activations.js';
import type { Converter } from './registry.js';

const dense: Converter = (ctx) => {
  const units = numberOption(ctx, 'units', NaN);
  if (!Number.isInteger(units) || units <= 0) throw new Error(`toOnnx: ${ctx.where}: config.units must be a positive integer, got ${JSON.stringify(ctx.config['units'])}`);
  const shape = ctx.input.shape;
  const inUnits = shape[shape.length - 1]!;
  const kernel = ctx.graph.floats(`${ctx.base}/kernel`, [inUnits, units], ctx.weight('kernel', [inUnits, units]).data);
  const bias = booleanOption(ctx, 'use_bias', true) ? ctx.graph.floats(`${ctx.base}/bias`, [units], ctx.weight('bias', [units]).data) : undefined;
  let y: string;
  if (shape.length === 1) {
    y = ctx.graph.node('Gemm', bias === undefined ? [ctx.input.name, kernel] : [ctx.input.name, kernel, bias], ctx.base);
  } else {
    y = ctx.graph.node('MatMul', [ctx.graph.kerasOrder(ctx.input, ctx.base), kernel], `${ctx.base}/matmul`);
    if (bias !== undefined) y = ctx.graph.node('Add', [y, bias], ctx.base);
  }
  return applyActivation(ctx, { name: y, shape: [...shape.slice(0, -1), units], layout: 'keras' }, ctx.config['activation']);
};

export const denseConverters: Record<string, Converter> = { Dense: dense };
