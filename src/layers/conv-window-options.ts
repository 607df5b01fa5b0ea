import type { Config } from './config.js';
import { checkPadding, pair, type Padding } from './layer.js';

/** The window options Conv2D, DepthwiseConv2D and SeparableConv2D share, as the layers take them. */
export interface ConvWindowArgs {
  kernelSize: number | [number, number];
  strides?: number | [number, number];
  padding?: Padding;
  /** Taps this many rows/columns apart (atrous convolution); strides must then be 1, as in Keras. */
  dilationRate?: number | [number, number];
}

export interface ConvWindow {
  kernelSize: [number, number];
  strides: [number, number];
  padding: Padding;
  dilationRate: [number, number];
}

/** Checks and normalizes the window options; `where` names the layer in errors. */
export function convWindow(args: ConvWindowArgs, where: string): ConvWindow {
  const strides = pair(args.strides ?? 1, 'strides', where);
  const dilationRate = pair(args.dilationRate ?? 1, 'dilationRate', where);
  // Keras refuses the combination (TensorFlow's kernels do not implement it), with this message.
  if (strides.some((s) => s > 1) && dilationRate.some((d) => d > 1)) {
    throw new Error(
      `${where}: \`strides > 1\` not supported in conjunction with \`dilation_rate > 1\`. Received: strides=${JSON.stringify(strides)} and dilation_rate=${JSON.stringify(dilationRate)}`,
    );
  }
  return { kernelSize: pair(args.kernelSize, 'kernelSize', where), strides, padding: checkPadding(args.padding, where), dilationRate };
}

/** The window part of a Keras convolution config. */
export function convWindowConfig(w: ConvWindow): Record<string, unknown> {
  return {
    kernel_size: [...w.kernelSize],
    strides: [...w.strides],
    padding: w.padding,
    data_format: 'channels_last',
    dilation_rate: [...w.dilationRate],
  };
}

/** Reads the window part of a Keras convolution config (checked by the layer's constructor). */
export function convWindowFromConfig(c: Config): ConvWindowArgs {
  return {
    kernelSize: c['kernel_size'] as [number, number],
    strides: (c['strides'] ?? 1) as [number, number],
    padding: c['padding'] as Padding,
    dilationRate: (c['dilation_rate'] ?? 1) as [number, number],
  };
}
