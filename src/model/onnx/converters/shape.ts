/**
 * Layers that move elements without computing: Flatten and Reshape (in Keras' element order, so
 * their input is put back in Keras order first), ZeroPadding2D, and the layers that are the
 * identity at inference (Dropout and its kin, the Random* augmentation layers), which export to
 * nothing.
 */
import type { Value } from '../graph-builder.js';
import { checkChannelsLast, expectRank } from '../keras-config.js';
import type { Converter } from './registry.js';

const flatten: Converter = (ctx) => {
  checkChannelsLast(ctx);
  if (ctx.input.shape.length === 1) return ctx.input;
  const size = ctx.input.shape.reduce((a, b) => a * b, 1);
  const y = ctx.graph.node('Flatten', [ctx.graph.kerasOrder(ctx.input, ctx.base)], ctx.base, { axis: 1 });
  return { name: y, shape: [size], layout: 'keras' };
};

const reshape: Converter = (ctx) => {
  const target = ctx.config['target_shape'];
  const size = ctx.input.shape.reduce((a, b) => a * b, 1);
  if (!Array.isArray(target) || !target.every((d) => Number.isInteger(d) && (d > 0 || d === -1)) || target.filter((d) => d === -1).length > 1) {
    throw new Error(`toOnnx: ${ctx.where}: config.target_shape must be positive integers with at most one -1, got ${JSON.stringify(target)}`);
  }
  const known = (target as number[]).reduce((a, d) => (d === -1 ? a : a * d), 1);
  const shape = (target as number[]).map((d) => (d === -1 ? size / known : d));
  if (shape.reduce((a, b) => a * b, 1) !== size || !shape.every(Number.isInteger)) {
    throw new Error(`toOnnx: ${ctx.where}: cannot reshape [${ctx.input.shape.join(', ')}] (${size} values) to ${JSON.stringify(target)}`);
  }
  // 0 copies the batch dimension, which stays dynamic.
  const y = ctx.graph.node('Reshape', [ctx.graph.kerasOrder(ctx.input, ctx.base), ctx.graph.int64s(`${ctx.base}/shape`, [0, ...shape])], ctx.base);
  return { name: y, shape, layout: 'keras' };
};

/** Keras' padding: p, [ph, pw] or [[top, bottom], [left, right]]. */
function padsOf(padding: unknown): [number, number, number, number] | undefined {
  const ok = (n: unknown): n is number => Number.isInteger(n) && (n as number) >= 0;
  if (ok(padding)) return [padding, padding, padding, padding];
  if (!Array.isArray(padding) || padding.length !== 2) return undefined;
  const [a, b] = padding as unknown[];
  if (ok(a) && ok(b)) return [a, a, b, b];
  if (Array.isArray(a) && Array.isArray(b) && a.length === 2 && b.length === 2 && [...a, ...b].every(ok)) return [a[0], a[1], b[0], b[1]];
  return undefined;
}

const zeroPadding2d: Converter = (ctx) => {
  checkChannelsLast(ctx);
  expectRank(ctx, 3, 'an image [height, width, channels]');
  const pads = padsOf(ctx.config['padding'] ?? 1);
  if (!pads) throw new Error(`toOnnx: ${ctx.where}: config.padding must be p, [ph, pw] or [[top, bottom], [left, right]], got ${JSON.stringify(ctx.config['padding'])}`);
  const [top, bottom, left, right] = pads;
  const [h, w, c] = ctx.input.shape as [number, number, number];
  // Pad's pads operand: all begins, then all ends, over N, C, H, W.
  const padsName = ctx.graph.int64s(`${ctx.base}/pads`, [0, 0, top, left, 0, 0, bottom, right]);
  const y = ctx.graph.node('Pad', [ctx.graph.nchw(ctx.input, ctx.base), padsName], ctx.base, { mode: 'constant' });
  const out: Value = { name: y, shape: [h + top + bottom, w + left + right, c], layout: 'nchw' };
  return out;
};

const identity: Converter = (ctx) => ctx.input;

export const shapeConverters: Record<string, Converter> = {
  Flatten: flatten,
  Reshape: reshape,
  ZeroPadding2D: zeroPadding2d,
  Dropout: identity,
  SpatialDropout1D: identity,
  SpatialDropout2D: identity,
  GaussianNoise: identity,
  GaussianDropout: identity,
  AlphaDropout: identity,
  ActivityRegularization: identity,
  RandomRotation: identity,
  RandomTranslation: identity,
  RandomZoom: identity,
  RandomFlip: identity,
  RandomContrast: identity,
  RandomAffine: identity,
  RandomElastic: identity,
};
