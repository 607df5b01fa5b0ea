/**
 * The geometry of a sliding window (convolution or pooling) over H×W, with Keras' 'valid' and
 * 'same' turned into ONNX's explicit pads the way TensorFlow pads: 'same' gives ceil(in / stride)
 * outputs and, when the total padding is odd, puts the extra row/column at the bottom/right.
 * ONNX's auto_pad SAME_UPPER would do the same, but explicit pads leave nothing to interpretation.
 */
import type { LayerContext } from '../graph-builder.js';

export interface Window {
  kernel: [number, number];
  strides: [number, number];
  dilations: [number, number];
  /** ONNX order: [top, left, bottom, right]. */
  pads: [number, number, number, number];
  /** Output [height, width]. */
  out: [number, number];
}

export function windowGeometry(
  ctx: LayerContext,
  size: [number, number],
  kernel: [number, number],
  strides: [number, number],
  dilations: [number, number],
  padding: 'valid' | 'same',
): Window {
  const out: number[] = [];
  const before: number[] = [];
  const after: number[] = [];
  for (let d = 0; d < 2; d++) {
    const extent = (kernel[d]! - 1) * dilations[d]! + 1;
    if (padding === 'same') {
      const n = Math.ceil(size[d]! / strides[d]!);
      const total = Math.max((n - 1) * strides[d]! + extent - size[d]!, 0);
      out.push(n);
      before.push(Math.floor(total / 2));
      after.push(total - Math.floor(total / 2));
    } else {
      if (extent > size[d]!) {
        throw new Error(`toOnnx: ${ctx.where}: window ${kernel.join('×')} (dilated extent ${extent}) is larger than its input ${size.join('×')} with padding 'valid'`);
      }
      out.push(Math.floor((size[d]! - extent) / strides[d]!) + 1);
      before.push(0);
      after.push(0);
    }
  }
  return { kernel, strides, dilations, pads: [before[0]!, before[1]!, after[0]!, after[1]!], out: [out[0]!, out[1]!] };
}
