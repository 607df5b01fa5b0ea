/**
 * Convolutions: Conv2D (with dilation and Keras 3's groups), DepthwiseConv2D (ONNX Conv with
 * group = channels) and SeparableConv2D (depthwise, then a 1×1 Conv). Kernels are stored
 * [kh, kw, in, out] by Keras and become ONNX's [out, in, kh, kw] (OIHW).
 */
import type { LayerContext } from '../graph-builder.js';
import { checkChannelsLast, expectRank, numberOption, pairOption, paddingOption, booleanOption } from '../keras-config.js';
import { applyActivation } from './activations.js';
import { windowGeometry, type Window } from './window.js';
import type { Converter } from './registry.js';

/** Keras [kh, kw, inPerGroup, out] → ONNX [out, inPerGroup, kh, kw]. */
function kernelToOihw(k: Float32Array, [kh, kw, ci, co]: [number, number, number, number]): Float32Array {
  const out = new Float32Array(k.length);
  for (let y = 0; y < kh; y++) {
    for (let x = 0; x < kw; x++) {
      for (let i = 0; i < ci; i++) {
        for (let o = 0; o < co; o++) out[((o * ci + i) * kh + y) * kw + x] = k[((y * kw + x) * ci + i) * co + o]!;
      }
    }
  }
  return out;
}

/** Depthwise [kh, kw, C, M] → ONNX grouped weight [C·M, 1, kh, kw]; output channel c·M + m, as TF. */
function depthwiseToOihw(k: Float32Array, [kh, kw, c, m]: [number, number, number, number]): Float32Array {
  const out = new Float32Array(k.length);
  for (let y = 0; y < kh; y++) {
    for (let x = 0; x < kw; x++) {
      for (let ch = 0; ch < c; ch++) {
        for (let j = 0; j < m; j++) out[((ch * m + j) * kh + y) * kw + x] = k[((y * kw + x) * c + ch) * m + j]!;
      }
    }
  }
  return out;
}

function convNode(ctx: LayerContext, input: string, win: Window, weight: string, bias: string | undefined, group: number, base: string): string {
  const inputs = bias === undefined ? [input, weight] : [input, weight, bias];
  return ctx.graph.node('Conv', inputs, base, {
    kernel_shape: win.kernel,
    strides: win.strides,
    dilations: win.dilations,
    pads: win.pads,
    group,
  });
}

function readWindow(ctx: LayerContext, kernelKey: string): Window {
  checkChannelsLast(ctx);
  expectRank(ctx, 3, 'an image [height, width, channels]');
  const [h, w] = ctx.input.shape as [number, number, number];
  return windowGeometry(ctx, [h, w], pairOption(ctx, kernelKey), pairOption(ctx, 'strides', [1, 1]), pairOption(ctx, 'dilation_rate', [1, 1]), paddingOption(ctx));
}

function biasOf(ctx: LayerContext, channels: number): string | undefined {
  if (!booleanOption(ctx, 'use_bias', true)) return undefined;
  return ctx.graph.floats(`${ctx.base}/bias`, [channels], ctx.weight('bias', [channels]).data);
}

const conv2d: Converter = (ctx) => {
  const win = readWindow(ctx, 'kernel_size');
  const inC = ctx.input.shape[2]!;
  const filters = numberOption(ctx, 'filters', NaN);
  const groups = numberOption(ctx, 'groups', 1);
  if (!Number.isInteger(filters) || filters <= 0) throw new Error(`toOnnx: ${ctx.where}: config.filters must be a positive integer, got ${JSON.stringify(ctx.config['filters'])}`);
  if (!Number.isInteger(groups) || inC % groups !== 0 || filters % groups !== 0) throw ctx.unsupported(`groups ${groups} with ${inC} input channels and ${filters} filters`);
  const shape: [number, number, number, number] = [win.kernel[0], win.kernel[1], inC / groups, filters];
  const kernel = ctx.graph.floats(`${ctx.base}/kernel`, [filters, inC / groups, shape[0], shape[1]], kernelToOihw(ctx.weight('kernel', shape).data, shape));
  const y = convNode(ctx, ctx.graph.nchw(ctx.input, ctx.base), win, kernel, biasOf(ctx, filters), groups, ctx.base);
  return applyActivation(ctx, { name: y, shape: [...win.out, filters], layout: 'nchw' }, ctx.config['activation']);
};

/** The depthwise step of DepthwiseConv2D and SeparableConv2D; returns the NCHW output and its channels. */
function depthwise(ctx: LayerContext, win: Window, withBias: boolean): { y: string; channels: number } {
  const c = ctx.input.shape[2]!;
  // TF.js leaves depth_multiplier out of SeparableConv2D's config; the kernel's last dimension is it.
  const m = numberOption(ctx, 'depth_multiplier', ctx.weightShape('depthwise_kernel')?.[3] ?? 1);
  if (!Number.isInteger(m) || m <= 0) throw new Error(`toOnnx: ${ctx.where}: config.depth_multiplier must be a positive integer, got ${m}`);
  const shape: [number, number, number, number] = [win.kernel[0], win.kernel[1], c, m];
  const weight = ctx.graph.floats(`${ctx.base}/depthwise_kernel`, [c * m, 1, shape[0], shape[1]], depthwiseToOihw(ctx.weight('depthwise_kernel', shape).data, shape));
  const bias = withBias ? biasOf(ctx, c * m) : undefined;
  return { y: convNode(ctx, ctx.graph.nchw(ctx.input, ctx.base), win, weight, bias, c, `${ctx.base}/depthwise`), channels: c * m };
}

const depthwiseConv2d: Converter = (ctx) => {
  const win = readWindow(ctx, 'kernel_size');
  const { y, channels } = depthwise(ctx, win, true);
  return applyActivation(ctx, { name: y, shape: [...win.out, channels], layout: 'nchw' }, ctx.config['activation']);
};

const separableConv2d: Converter = (ctx) => {
  const win = readWindow(ctx, 'kernel_size');
  const { y: dw, channels } = depthwise(ctx, win, false);
  const filters = numberOption(ctx, 'filters', NaN);
  const shape: [number, number, number, number] = [1, 1, channels, filters];
  const weight = ctx.graph.floats(`${ctx.base}/pointwise_kernel`, [filters, channels, 1, 1], kernelToOihw(ctx.weight('pointwise_kernel', shape).data, shape));
  const pointwise: Window = { kernel: [1, 1], strides: [1, 1], dilations: [1, 1], pads: [0, 0, 0, 0], out: win.out };
  const y = convNode(ctx, dw, pointwise, weight, biasOf(ctx, filters), 1, `${ctx.base}/pointwise`);
  return applyActivation(ctx, { name: y, shape: [...win.out, filters], layout: 'nchw' }, ctx.config['activation']);
};

export const convConverters: Record<string, Converter> = {
  Conv2D: conv2d,
  DepthwiseConv2D: depthwiseConv2d,
  SeparableConv2D: separableConv2d,
};
