// Entry point of the WebAssembly kernels: every export here is called by src/kernels/wasm.
// All buffer arguments are element indices into the imported linear memory (4-byte elements).
export { gemm, gemmAddPartial, gemmScratchBytes } from './gemm';
export { biasActivation, activation, activationBackward, softmax, softmaxBackward, biasGrad } from './activations';
export { im2col, col2im } from './conv';
export { conv2d } from './conv-forward';
export { conv2dBackwardInput, conv2dBackwardFilter } from './conv-backward';
export { convPlan } from './conv-plan';
export { maxPool, maxPoolBackward } from './pool';
export { dropout, multiply, fill, firstNonFinite } from './elementwise';
export { sgdUpdate, adamUpdate } from './optimizers';
export { depthwiseConv2d, depthwiseConv2dBackwardInput, depthwiseConv2dBackwardFilter } from './depthwise-conv';
export { activationBackwardFromInput, kerasRelu, kerasReluBackward } from './activations';
export { channelMoments, channelGradSums, channelAffine, channelCombine } from './channels';
export { avgPool, avgPoolBackward } from './avg-pool';
export { loss } from './losses';
export { rmspropUpdate, adagradUpdate, adamaxUpdate, nadamUpdate, sumOfSquares, scaleClamp } from './optimizers';
export { affineWarp, adjustContrast } from './affine-warp';
export { channelAffineRelu } from './channels';
export { elasticWarp } from './elastic-warp';
// Not called from JS: exported so that Binaryen keeps them functions of their own instead of
// inlining them into their only caller, where V8 then spilled their accumulators (see tile.ts).
export { row1x32, convTile8x4 } from './tile';

/** First byte after the module's static data: the backend lays out its own region above it. */
export function staticEnd(): usize {
  return __heap_base;
}
