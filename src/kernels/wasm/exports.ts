/**
 * The functions the AssemblyScript module (assembly/index.ts) exports. Buffer arguments are
 * element indices into the shared linear memory (Ptr); `scratch` is a byte address.
 * Booleans cross as i32 (the JS API converts true/false to 1/0).
 */
export interface KernelExports {
  staticEnd(): number;
  gemmScratchBytes(): number;
  gemm(
    transA: boolean, transB: boolean, m: number, n: number, k: number,
    a: number, lda: number, b: number, ldb: number, c: number, ldc: number,
    accumulate: boolean, scratch: number,
  ): void;
  gemmAddPartial(c: number, ldc: number, p: number, m: number, n: number): void;
  biasActivation(x: number, bias: number, rows: number, cols: number, act: number): void;
  activation(act: number, x: number, y: number, n: number): void;
  activationBackward(act: number, y: number, dy: number, dx: number, n: number): void;
  softmax(x: number, y: number, rows: number, cols: number): void;
  softmaxBackward(y: number, dy: number, dx: number, rows: number, cols: number): void;
  biasGrad(dy: number, db: number, rows: number, cols: number, accumulate: boolean): void;
  im2col(x: number, cols: number, ...geometry: WindowArgs): void;
  col2im(cols: number, dx: number, ...geometry: WindowArgs): void;
  /** ...window, then filters, act, rowStart, rowEnd (output pixels to compute), scratch (bytes), prepared (an earlier chunk of this call on this thread set up the filters). */
  conv2d(
    x: number, w: number, bias: number, y: number, ...rest: [...WindowArgs, number, number, number, number, number, boolean]
  ): void;
  /** Whether conv2d's scratch holds a layer with this patch size K and filter count (1 or 0). */
  convForwardFits(k: number, filters: number): number;
  /** ...window, then filters, rowStart, rowEnd (INPUT pixels), scratch, prepared (as conv2d). Stride 1 only. */
  conv2dBackwardInput(dy: number, w: number, dx: number, ...rest: [...WindowArgs, number, number, number, number, boolean]): void;
  /** ...window, then filters, rowStart, rowEnd (output pixels summed over), scratch; overwrites out. */
  conv2dBackwardFilter(x: number, dy: number, out: number, ...rest: [...WindowArgs, number, number, number, number]): void;
  /** Whether conv2dBackwardInput takes this layer (1 or 0; else a GEMM into the columns and col2im). */
  convBackwardInputRuns(h: number, w: number, c: number, kh: number, kw: number, sh: number, sw: number, oh: number, ow: number, filters: number): number;
  convBackwardFilterFits(k: number, filters: number): number;
  maxPool(x: number, y: number, argmax: number, ...geometry: WindowArgs): void;
  maxPoolBackward(dy: number, argmax: number, dx: number, n: number, h: number, w: number, c: number, oh: number, ow: number): void;
  softmaxCrossEntropy(p: number, t: number, dz: number, rows: number, cols: number): number;
  crossEntropy(p: number, t: number, dp: number, rows: number, cols: number): number;
  meanSquaredError(p: number, t: number, dp: number, rows: number, cols: number): number;
  dropout(x: number, y: number, mask: number, n: number, rate: number, seed: number): void;
  multiply(a: number, b: number, out: number, n: number): void;
  fill(x: number, n: number, value: number): void;
  sgdUpdate(p: number, g: number, v: number, n: number, lr: number, momentum: number, nesterov: boolean, weightDecay: number): void;
  adamUpdate(
    p: number, g: number, m: number, v: number, n: number,
    lr: number, alpha: number, beta1: number, beta2: number, eps: number, weightDecay: number,
  ): void;
}

/** Window2D flattened in the order the kernels take it: n, h, w, c, kh, kw, sh, sw, padTop, padLeft, oh, ow. */
export type WindowArgs = [number, number, number, number, number, number, number, number, number, number, number, number];

/** Instantiates a compiled kernel module on `memory` (its only import). */
export async function instantiateKernels(module: WebAssembly.Module, memory: WebAssembly.Memory): Promise<KernelExports> {
  const instance = await WebAssembly.instantiate(module, { env: { memory } });
  return instance.exports as unknown as KernelExports;
}
