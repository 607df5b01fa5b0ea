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
export const Act = { linear: 0, relu: 1, sigmoid: 2, tanh: 3, elu: 4, selu: 5, softplus: 6, softsign: 7, hardSigmoid: 8, relu6: 9, exponential: 10, gelu: 11, gelu_new: 12, swish: 13, mish: 14 } as const;
export type ActCode = (typeof Act)[keyof typeof Act];

/**
 * Loss codes of the `loss` kernel (keep in sync with assembly/losses.ts). The `…Fused` kinds take
 * the output of the activation they are fused with (sigmoid, softmax) and write the gradient with
 * respect to that activation's input (the logits).
 */
export const LossKind = {
  meanSquaredError: 0, meanAbsoluteError: 1, huber: 2, meanSquaredLogarithmicError: 3, hinge: 4,
  binaryCrossentropy: 5, binaryCrossentropyLogits: 6, binaryCrossentropySigmoidFused: 7,
  categoricalCrossentropy: 8, categoricalCrossentropyLogits: 9, categoricalCrossentropySoftmaxFused: 10,
  kld: 11,
} as const;
export type LossKindCode = (typeof LossKind)[keyof typeof LossKind];

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

  /**
   * Keras' relu with options, elementwise over n values: y = x > threshold ? min(x, maxValue) :
   * negativeSlope·(x − threshold); maxValue may be Infinity; y may alias x. The ReLU layer, and
   * LeakyReLU (maxValue Infinity, threshold 0, any slope).
   */
  kerasRelu(x: Ptr, y: Ptr, n: number, maxValue: number, negativeSlope: number, threshold: number): void;

  /** dx = dy · (x > threshold ? (x < maxValue ? 1 : 0) : negativeSlope), from the INPUT x; dx may alias dy. */
  kerasReluBackward(x: Ptr, dy: Ptr, dx: Ptr, n: number, maxValue: number, negativeSlope: number, threshold: number): void;

  // Per-channel kernels over a rows×cols matrix whose columns are channels (NHWC flattened to
  // [n·h·w, c], or [n, features]): BatchNormalization is built from them.

  /** Per column: mean[c] = Σ_r x[r,c]/rows and the biased variance[c] = Σ_r (x[r,c] − mean[c])²/rows (rows ≥ 1). */
  channelMoments(x: Ptr, mean: Ptr, variance: Ptr, rows: number, cols: number): void;

  /**
   * Per column, overwritten: sumDy[c] = Σ_r g[r,c] and sumDyXc[c] = Σ_r g[r,c]·(x[r,c] − mean[c]),
   * where g = dy, or with a gate (gateScale ≥ 0) g = dy only where the relu of
   * (x − mean)·gateScale + gateShift let it through (value > 0), else 0; no shift when gateShift < 0.
   */
  channelGradSums(dy: Ptr, x: Ptr, mean: Ptr, sumDy: Ptr, sumDyXc: Ptr, rows: number, cols: number, gateScale: Ptr, gateShift: Ptr): void;

  /** y[r,c] = (x[r,c] − center[c])·scale[c] + shift[c] (no center when center < 0, no shift when shift < 0); y may alias x. */
  channelAffine(x: Ptr, y: Ptr, center: Ptr, scale: Ptr, shift: Ptr, rows: number, cols: number): void;

  /**
   * out[r,c] = g·p[c] + (b[r,c] − center[c])·q[c] + shift[c] with g = a[r,c], or with a gate
   * (gateScale ≥ 0) g = a[r,c] only where (b − center)·gateScale + gateShift > 0, else 0 (no
   * shift when gateShift < 0), as in channelGradSums; out may alias a.
   */
  channelCombine(a: Ptr, b: Ptr, center: Ptr, out: Ptr, p: Ptr, q: Ptr, shift: Ptr, rows: number, cols: number, gateScale: Ptr, gateShift: Ptr): void;

  /**
   * Average pooling over windows as TensorFlow computes it: padding is left out of the count, so
   * each output is the mean of its window's in-image inputs (0 for a window entirely in padding).
   */
  avgPool(x: Ptr, y: Ptr, g: Window2D): void;

  /** dx = 0 (n·h·w·c values), then each dy[o]/count(o) is added to every in-image input of window o. */
  avgPoolBackward(dy: Ptr, dx: Ptr, g: Window2D): void;
  /**
   * A loss of predictions p against targets t (rows×cols) and its gradient, fused: returns
   * Σ_r w_r·ℓ_r / rows and writes grad = w_r·∂ℓ_r/∂p_rc / rows (∂/∂logits for the fused kinds),
   * where w_r = w[r], or 1 when w < 0. ε = 1e-7; clip(x) = min(max(x, ε), 1 − ε); a clipped value
   * gets gradient 0 from the term that clipped it. `param` is Huber's delta, the label smoothing
   * s of the cross-entropies (binary: t' = t(1−s) + s/2; categorical: t' = t(1−s) + s/cols; other
   * kinds ignore it). Per row, with d = p − t and means over the row's cols values:
   * - meanSquaredError: mean d²; meanAbsoluteError: mean |d| (gradient sign(d), 0 at d = 0)
   * - huber: mean(½·min(|d|,δ)² + δ·(|d| − min(|d|,δ)))
   * - meanSquaredLogarithmicError: mean (log1p(max(p,ε)) − log1p(max(t,ε)))²
   * - hinge: mean max(1 − t·p, 0), with t → 2t − 1 when every target of the batch is 0 or 1 (Keras)
   * - binaryCrossentropy: mean −t'·log(clip p) − (1−t')·log(1 − clip p)
   * - binaryCrossentropyLogits (p = logits z): mean max(z,0) − z·t' + log1p(exp(−|z|)); gradient σ(z) − t'
   * - binaryCrossentropySigmoidFused (p = σ(z)): the value of binaryCrossentropy; gradient p − t'
   * - categoricalCrossentropy: q = p/Σp, −Σ t'·log(clip q)
   * - categoricalCrossentropyLogits (p = logits z): Σt'·logsumexp(z) − Σ t'·z; gradient softmax(z)·Σt' − t'
   * - categoricalCrossentropySoftmaxFused (p = softmax(z)): the value of categoricalCrossentropy;
   *   gradient p·Σt' − t'
   * - kld: Σ t·log(min(max(t,ε),1) / min(max(p,ε),1)); gradient −t/p (0 where p is clipped)
   * Computed in float64. w may be −1; no output may alias an input.
   */
  loss(kind: LossKindCode, p: Ptr, t: Ptr, grad: Ptr, w: Ptr, rows: number, cols: number, param: number): number;
  /**
   * Keras / TF.js RMSprop (ε inside the root): ms = ρ·ms + (1−ρ)·g²; when centered
   * mg = ρ·mg + (1−ρ)·g and denom = ms − mg² + ε, else denom = ms + ε (mg untouched);
   * mom = momentum·mom + lr·g/√denom; p −= mom.
   */
  rmspropUpdate(p: Ptr, g: Ptr, ms: Ptr, mom: Ptr, mg: Ptr, n: number, lr: number, rho: number, momentum: number, eps: number, centered: boolean): void;

  /** Keras / TF.js Adagrad: acc += g²; p −= lr·g/√(acc + ε). */
  adagradUpdate(p: Ptr, g: Ptr, acc: Ptr, n: number, lr: number, eps: number): void;

  /** Keras / TF.js Adamax: m = β1·m + (1−β1)·g; u = max(β2·u, |g|); p −= stepSize·m/(u + ε), stepSize = lr/(1−β1^t) from the caller. */
  adamaxUpdate(p: Ptr, g: Ptr, m: Ptr, u: Ptr, n: number, stepSize: number, beta1: number, beta2: number, eps: number): void;

  /**
   * Keras Nadam: m = β1·m + (1−β1)·g; v = β2·v + (1−β2)·g²; p −= lr·(mCoef·m + gCoef·g)/(√(vCoef·v) + ε),
   * with the per-step coefficients from the caller (optimizers/nadam.ts).
   */
  nadamUpdate(p: Ptr, g: Ptr, m: Ptr, v: Ptr, n: number, lr: number, beta1: number, beta2: number, eps: number, mCoef: number, gCoef: number, vCoef: number): void;

  /** Σ x² over x[0..n) (the reference accumulates in float64): gradient norms for clipping. */
  sumOfSquares(x: Ptr, n: number): number;

  /** x = clamp(x·scale, −limit, limit) over n values (clipping by norm or by value; decoupled weight decay). */
  scaleClamp(x: Ptr, n: number, scale: number, limit: number): void;

  // Image augmentation (the Random* preprocessing layers), on NHWC batches [n, h, w, c].

  /**
   * Per image b, an affine warp with bilinear sampling, as TensorFlow's ImageProjectiveTransformV3
   * (Keras' preprocessing layers): t = transforms[6b .. 6b+6) maps an OUTPUT pixel (ox, oy)
   * (column, row) to the input point (t0·ox + t1·oy + t2, t3·ox + t4·oy + t5). Each coordinate is
   * mapped by `fillMode` (FillMode) onto the image: constant leaves it, nearest clamps it to
   * [0, len−1], reflect and wrap fold it as TensorFlow does, then clamp. Bilinear interpolation
   * of the four neighbours, a neighbour outside the image reading fillValue:
   * (y1 − y)·((x1 − x)·v00 + (x − x0)·v01) + (y − y0)·((x1 − x)·v10 + (x − x0)·v11), x0 = ⌊x⌋, x1 = x0 + 1.
   * Coordinates and weights are computed in float64 from the float32 transforms (so every backend
   * samples at the same points); constant mode first clamps them to [−2, len + 1], which changes
   * no value (every neighbour is outside there). y is overwritten and must not alias x.
   */
  affineWarp(x: Ptr, y: Ptr, transforms: Ptr, n: number, h: number, w: number, c: number, fillMode: FillModeCode, fillValue: number): void;

  /**
   * Keras' RandomContrast per image b and channel ch: m = the mean of x[b, :, :, ch], then
   * y = clamp((x − m)·factors[b] + m, lo, hi) (the mean is accumulated in float64 by the reference).
   * y may alias x.
   */
  adjustContrast(x: Ptr, y: Ptr, factors: Ptr, n: number, pixels: number, c: number, lo: number, hi: number): void;

  /** y[r,c] = max((x[r,c] − center[c])·scale[c] + shift[c], 0): channelAffine and a relu in one pass (BatchNormalization → ReLU); y may alias x. */
  channelAffineRelu(x: Ptr, y: Ptr, center: Ptr, scale: Ptr, shift: Ptr, rows: number, cols: number): void;

  /**
   * Elastic distortion (Simard et al. 2003) per image b: a displacement field per axis, uniform
   * noise u = 2·uniformHash(seed, (2b + axis)·h·w + row·w + col) − 1 (axis 0 = x, 1 = y),
   * smoothed by a symmetric kernel (zeros beyond the image) along rows, then columns, then scaled
   * by alpha; output pixel (ox, oy) samples the input at (ox + dx, oy + dy) as affineWarp does
   * (fill mode, bilinear, coordinates in float64). `taps` holds radius + 1 weights, taps[d] for
   * neighbours at distance d; each smoothed value is, in float32 and in this order,
   * taps[0]·v[i] + Σ_{d=1..radius} taps[d]·(v[i − d] + v[i + d]). `fields` is work space of
   * elasticFieldFloats(h, w, radius) floats per image; y is overwritten and must not alias x.
   */
  elasticWarp(x: Ptr, y: Ptr, fields: Ptr, taps: Ptr, radius: number, alpha: number, seed: number, n: number, h: number, w: number, c: number, fillMode: FillModeCode, fillValue: number): void;
}

/**
 * Work floats elasticWarp needs per image: the noise padded by `radius` columns each side, the
 * row-smoothed field padded by `radius` rows above and below, and the two displacement fields.
 */
export function elasticFieldFloats(h: number, w: number, radius: number): number {
  return h * (w + 2 * radius) + (h + 2 * radius) * w + 2 * h * w;
}

/** Fill mode codes of affineWarp (keep in sync with assembly/affine-warp.ts). */
export const FillMode = { constant: 0, nearest: 1, reflect: 2, wrap: 3 } as const;
export type FillModeCode = (typeof FillMode)[keyof typeof FillMode];

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
