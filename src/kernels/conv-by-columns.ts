import type { ActCode, Kernels, Ptr, Window2D } from './kernels.js';

/**
 * The three convolution kernels by their definitions over the column matrix (im2col, GEMM,
 * col2im). The JS reference backend IS this; the WASM backend falls back to it for layers its
 * fused kernels cannot take (too wide for their buffers; input gradients that neither Winograd
 * nor the flipped convolution takes: assembly/conv-backward.ts convBackwardInputRuns).
 */
type Primitives = Pick<Kernels, 'im2col' | 'col2im' | 'gemm' | 'biasActivation'>;

/** y = act(im2col(x)·w + bias). */
export function conv2dByColumns(b: Primitives, x: Ptr, w: Ptr, bias: Ptr, y: Ptr, g: Window2D, filters: number, act: ActCode, cols: Ptr): void {
  const rows = g.n * g.oh * g.ow;
  b.im2col(x, cols, g);
  b.gemm(false, false, rows, filters, g.kh * g.kw * g.c, cols, w, y, false);
  b.biasActivation(y, bias, rows, filters, act);
}

/** dx = col2im(dy·wᵀ). */
export function conv2dBackwardInputByColumns(b: Primitives, dy: Ptr, w: Ptr, dx: Ptr, g: Window2D, filters: number, cols: Ptr): void {
  b.gemm(false, true, g.n * g.oh * g.ow, g.kh * g.kw * g.c, filters, dy, w, cols, false);
  b.col2im(cols, dx, g);
}

/** dw = im2col(x)ᵀ·dy. */
export function conv2dBackwardFilterByColumns(b: Primitives, x: Ptr, dy: Ptr, dw: Ptr, g: Window2D, filters: number, cols: Ptr): void {
  b.im2col(x, cols, g);
  b.gemm(true, false, g.kh * g.kw * g.c, filters, g.n * g.oh * g.ow, cols, dy, dw, false);
}
