/**
 * The kernel contract every backend implements.
 *
 * All tensors live in one flat arena (see ../memory-plan.ts). A `Ptr` is the
 * index of a 4-byte element in that arena: float32 for data, int32 for the
 * few integer buffers (max-pool argmax). The WASM backend turns it into a byte
 * address (`ptr << 2`); the JS reference backend indexes a Float32Array /
 * Int32Array over the same bytes. Buffers are dense and row-major; NHWC for
 * images. Unless a kernel says "may alias", its output must not overlap its
 * inputs.
 *
 * The JS backend (./js) is the specification: plain loops, obviously correct.
 * The WASM backend must match it to ~1e-5 relative error.
 */
export type Ptr = number;

/** Activation codes shared with the AssemblyScript kernels (keep in sync with assembly/act.ts). */
export const Act = { linear: 0, relu: 1, sigmoid: 2, tanh: 3, elu: 4, selu: 5, softplus: 6, softsign: 7, hardSigmoid: 8, relu6: 9, exponential: 10, gelu: 11, gelu_new: 12, swish: 13 } as const;
export type ActCode = (typeof Act)[keyof typeof Act];

/** Geometry of a 2-D window op (conv or pool) over an NHWC batch. */
export interface Window2D {
  n: number; h: number; w: number; c: number; // input batch, height, width, channels
  kh: number; kw: number; // window size
  sh: number; sw: number; // strides
  padTop: number; padLeft: number; // zero padding before the first row / column
  oh: number; ow: number; // output height, width
  dh?: number; dw?: number; // dilation: window taps dh rows / dw columns apart (1 when absent; convolutions only)
}

export interface Kernels {
  /**
   * C[M×N] = (accumulate ? C : 0) + op(A)·op(B), where op(A) is M×K and op(B) is K×N.
   * A is stored M×K, or K×M when transA; B is stored K×N, or N×K when transB.
   */
  gemm(transA: boolean, transB: boolean, m: number, n: number, k: number, a: Ptr, b: Ptr, c: Ptr, accumulate: boolean): void;

  /** x[r,c] += bias[c] (skipped when bias < 0), then x = act(x), in place; x is rows×cols. */
  biasActivation(x: Ptr, bias: Ptr, rows: number, cols: number, act: ActCode): void;

  /** y = act(x) elementwise over n values; y may alias x. */
  activation(act: ActCode, x: Ptr, y: Ptr, n: number): void;

  /**
   * dx = dy · act'(x), computed from the activation's OUTPUT y; dx may alias dy. Only for the
   * activations whose derivative follows from the output (every code below Act.gelu).
   */
  activationBackward(act: ActCode, y: Ptr, dy: Ptr, dx: Ptr, n: number): void;

  /** Row-wise softmax of a rows×cols matrix, max-subtracted; y may alias x. */
  softmax(x: Ptr, y: Ptr, rows: number, cols: number): void;

  /** Softmax Jacobian-vector product from the output y: dx = y ⊙ (dy − Σ_j dy_j·y_j) per row; dx may alias dy. */
  softmaxBackward(y: Ptr, dy: Ptr, dx: Ptr, rows: number, cols: number): void;

  /** db[c] = (accumulate ? db[c] : 0) + Σ_r dy[r,c]; dy is rows×cols. */
  biasGrad(dy: Ptr, db: Ptr, rows: number, cols: number, accumulate: boolean): void;

  /**
   * Unfolds an NHWC batch x into cols [n·oh·ow, kh·kw·c]; row (b,oy,ox), column (ky,kx,ch)
   * holds x[b, oy·sh+ky·dh−padTop, ox·sw+kx·dw−padLeft, ch] or 0 outside the image.
   */
  im2col(x: Ptr, cols: Ptr, g: Window2D): void;

  /** Adjoint of im2col: dx = 0, then every cols entry is added back to the pixel it came from. */
  col2im(cols: Ptr, dx: Ptr, g: Window2D): void;

  /**
   * Convolution forward with bias and activation fused: y [n·oh·ow, filters] =
   * act(im2col(x)·w + bias), i.e. im2col, gemm, then biasActivation. w is the [kh, kw, c, filters]
   * kernel (a row-major (kh·kw·c)×filters matrix); bias holds `filters` values (skipped when
   * bias < 0); act is linear, relu, sigmoid or tanh. `cols` is scratch of n·oh·ow·kh·kw·c floats
   * that a backend may unfold into (the reference does; WASM reads x in place); its contents
   * afterwards are unspecified.
   */
  conv2d(x: Ptr, w: Ptr, bias: Ptr, y: Ptr, g: Window2D, filters: number, act: ActCode, cols: Ptr): void;

  /**
   * Gradient of conv2d with respect to its input: dx [n, h, w, c] = col2im(dy·wᵀ), i.e. a GEMM
   * into cols, then col2im. dy is [n·oh·ow, filters], w the [kh, kw, c, filters] kernel; cols as
   * in conv2d (scratch, unspecified afterwards).
   */
  conv2dBackwardInput(dy: Ptr, w: Ptr, dx: Ptr, g: Window2D, filters: number, cols: Ptr): void;

  /**
   * Gradient of conv2d with respect to its kernel: dw [kh·kw·c, filters] = im2col(x)ᵀ·dy
   * (overwritten), i.e. im2col into cols, then a GEMM. cols as in conv2d.
   */
  conv2dBackwardFilter(x: Ptr, dy: Ptr, dw: Ptr, g: Window2D, filters: number, cols: Ptr): void;

  /**
   * Max pooling over windows (padding counts as −∞). y is [n,oh,ow,c]; argmax (int32) holds,
   * per output, the flat index into x of the winning input (first maximum wins). A window that
   * lies entirely in padding yields y = −∞ and argmax = −1.
   */
  maxPool(x: Ptr, y: Ptr, argmax: Ptr, g: Window2D): void;

  /** dx = 0 (n·h·w·c values), then dx[argmax[i]] += dy[i] for every output i (argmax −1 is skipped). */
  maxPoolBackward(dy: Ptr, argmax: Ptr, dx: Ptr, g: Window2D): void;

  /**
   * Cross-entropy of softmax probabilities p against targets t (rows×cols, rows sum to 1),
   * fused with the softmax backward: dz = (p − t)/rows. Returns mean over rows of −Σ t·log(max(p, 1e-7)).
   */
  softmaxCrossEntropy(p: Ptr, t: Ptr, dz: Ptr, rows: number, cols: number): number;

  /**
   * Cross-entropy of probabilities p (any activation) against targets t: p is clipped to
   * [1e-7, 1−1e-7] as Keras does; dp = −t/(p_clipped·rows) (0 where clipped). Returns the mean loss.
   */
  crossEntropy(p: Ptr, t: Ptr, dp: Ptr, rows: number, cols: number): number;

  /** Mean squared error over rows×cols: returns Σ(p−t)²/(rows·cols); dp = 2(p−t)/(rows·cols). */
  meanSquaredError(p: Ptr, t: Ptr, dp: Ptr, rows: number, cols: number): number;

  /**
   * Inverted dropout: keep element i when u(seed,i) ≥ rate, where u is uniformHash (below);
   * mask[i] = kept ? 1/(1−rate) : 0 and y = x·mask. y may alias x. The seed is an int32.
   */
  dropout(x: Ptr, y: Ptr, mask: Ptr, n: number, rate: number, seed: number): void;

  /** out = a ⊙ b over n values; out may alias a or b. */
  multiply(a: Ptr, b: Ptr, out: Ptr, n: number): void;

  /** x[0..n) = value. */
  fill(x: Ptr, n: number, value: number): void;

  /** The index of the first NaN or ±Infinity among x[0..n), or −1 when all are finite. */
  firstNonFinite(x: Ptr, n: number): number;

  /**
   * Keras SGD: v = momentum·v − lr·(g + weightDecay·p); p += nesterov ? momentum·v − lr·(g + weightDecay·p) : v.
   * With momentum 0, v is not touched (may be any pointer).
   */
  sgdUpdate(p: Ptr, g: Ptr, v: Ptr, n: number, lr: number, momentum: number, nesterov: boolean, weightDecay: number): void;

  /**
   * Keras Adam / AdamW: first p −= lr·weightDecay·p (decoupled; 0 for Adam), then
   * m = β1·m + (1−β1)·g; v = β2·v + (1−β2)·g²; p −= alpha·m/(√v + eps),
   * where the caller passes alpha = lr·√(1−β2^t)/(1−β1^t).
   */
  adamUpdate(p: Ptr, g: Ptr, m: Ptr, v: Ptr, n: number, lr: number, alpha: number, beta1: number, beta2: number, eps: number, weightDecay: number): void;

  /**
   * Depthwise convolution, no bias or activation: each input channel ch has its own `multiplier`
   * filters, and y [n·oh·ow, c·multiplier] (overwritten) holds, in channel ch·multiplier+j,
   * Σ_{ky,kx} x[b, oy·sh+ky·dh−padTop, ox·sw+kx·dw−padLeft, ch] · w[ky, kx, ch, j] (0 outside the
   * image), w being the [kh, kw, c, multiplier] kernel (Keras's depthwise_kernel).
   */
  depthwiseConv2d(x: Ptr, w: Ptr, y: Ptr, g: Window2D, multiplier: number): void;

  /** Gradient of depthwiseConv2d with respect to x: dx [n, h, w, c] (overwritten) from dy [n·oh·ow, c·multiplier]. */
  depthwiseConv2dBackwardInput(dy: Ptr, w: Ptr, dx: Ptr, g: Window2D, multiplier: number): void;

  /** Gradient of depthwiseConv2d with respect to w: dw [kh, kw, c, multiplier] (overwritten). */
  depthwiseConv2dBackwardFilter(x: Ptr, dy: Ptr, dw: Ptr, g: Window2D, multiplier: number): void;
  /** dx = dy · act'(x) from the activation's INPUT x, for every code (gelu and swish need it); dx may alias dy. */
  activationBackwardFromInput(act: ActCode, x: Ptr, dy: Ptr, dx: Ptr, n: number): void;

  /** y = x > 0 ? x : alpha·x elementwise over n values (TF.js LeakyReLU); y may alias x. */
  leakyRelu(x: Ptr, y: Ptr, n: number, alpha: number): void;

  /** dx = dy · (x > 0 ? 1 : alpha), from the INPUT x; dx may alias dy. */
  leakyReluBackward(x: Ptr, dy: Ptr, dx: Ptr, n: number, alpha: number): void;
}

/**
 * Counter-based uniform in [0,1) used by dropout so every backend draws the same mask:
 * lowbias32 hash of (seed + i·0x9E3779B9), top 24 bits.
 */
export function uniformHash(seed: number, i: number): number {
  let x = (seed + Math.imul(i, 0x9e3779b9)) | 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return (x >>> 8) * (1 / 16777216);
}
