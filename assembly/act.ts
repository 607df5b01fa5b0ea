// Activation codes shared with src/kernels/kernels.ts (`Act`): keep the numbers in sync.
import { actV, derivFromInputV, derivV, simdDerivativeFromInput } from './act-simd';

export const LINEAR: i32 = 0;
export const RELU: i32 = 1;
export const SIGMOID: i32 = 2;
export const TANH: i32 = 3;
export const ELU: i32 = 4;
export const SELU: i32 = 5;
export const SOFTPLUS: i32 = 6;
export const SOFTSIGN: i32 = 7;
export const HARD_SIGMOID: i32 = 8;
export const RELU6: i32 = 9;
export const EXPONENTIAL: i32 = 10;
/** From here on the derivative needs the activation's input (activationBackwardFromInput). */
export const GELU: i32 = 11;
export const GELU_TANH: i32 = 12;
export const SWISH: i32 = 13;
export const MISH: i32 = 14;

export const SELU_SCALE: f32 = 1.0507009873554804934193349852946;
export const SELU_ALPHA: f32 = 1.6732632423543772848170429916717;
export const GELU_C: f32 = 0.7978845608028654; // √(2/π)
export const GELU_K: f32 = 0.044715;
export const INV_SQRT2: f32 = 0.7071067811865476;
export const INV_SQRT_2PI: f32 = 0.3989422804014327;

/**
 * erf(x) by Abramowitz & Stegun 7.1.26: |error| ≤ 1.5e-7, about float32's own resolution
 * near 1, which is where GELU reads it (Φ(x) = (1 + erf(x/√2))/2).
 */
function erf(x: f32): f32 {
  const a = Mathf.abs(x);
  const t: f32 = 1 / (1 + 0.3275911 * a);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const e: f32 = 1 - poly * Mathf.exp(-a * a);
  return x < 0 ? -e : e;
}

@inline
function sigmoid(v: f32): f32 {
  return 1 / (1 + Mathf.exp(-v));
}

@inline
function softplus(v: f32): f32 {
  return Mathf.max(v, 0) + Mathf.log(1 + Mathf.exp(-Mathf.abs(v)));
}

@inline
function normalCdf(v: f32): f32 {
  return 0.5 * (1 + erf(v * INV_SQRT2));
}

/**
 * act(v) for one value. Not inlined: a copy of every case at each call site (the kernels' ragged
 * tails, the scalar build's conv) would grow the module by kilobytes for the tails' few values.
 * e^x − 1 and log(1 + e) rather than expm1 and log1p: their error, an ulp of 1, is within the
 * kernels' tolerance, and those two functions would add kilobytes more.
 */
export function applyAct(act: i32, v: f32): f32 {
  // SIMD builds use lane 0 of the 4-lane form: then each activation exists once in the module
  // (the scalar switch would cost its size again), and a ragged tail computes exactly what the
  // vector body does.
  if (ASC_FEATURE_SIMD) return act == SOFTPLUS ? softplus(v) : f32x4.extract_lane(actV(act, f32x4.splat(v)), 0);
  switch (act) {
    case RELU: return v > 0 ? v : 0;
    case SIGMOID: return sigmoid(v);
    case TANH: return Mathf.tanh(v);
    case ELU: return v > 0 ? v : Mathf.exp(v) - 1;
    case SELU: return SELU_SCALE * (v > 0 ? v : SELU_ALPHA * (Mathf.exp(v) - 1));
    case SOFTPLUS: return softplus(v);
    case SOFTSIGN: return v / (1 + Mathf.abs(v));
    case HARD_SIGMOID: {
      const t: f32 = 0.2 * v + 0.5;
      return t > 0 ? (t < 1 ? t : 1) : 0;
    }
    case RELU6: return v > 0 ? (v < 6 ? v : 6) : 0;
    case EXPONENTIAL: return Mathf.exp(v);
    case GELU: return v * normalCdf(v);
    case GELU_TANH: return 0.5 * v * (1 + Mathf.tanh(GELU_C * (v + GELU_K * v * v * v)));
    case SWISH: return v * sigmoid(v);
    case MISH: {
      // tanh(softplus(x)) = σ(1 + q)/(1 + q²) with σ = sigmoid(x), q = 1 − σ (act-simd.ts mishTV).
      const s = sigmoid(v);
      const q: f32 = 1 - s;
      return v * ((s * (1 + q)) / (1 + q * q));
    }
    default: return v;
  }
}

/** act'(x) expressed through the activation's output y (codes below GELU). */
export function actDerivative(act: i32, y: f32): f32 {
  if (ASC_FEATURE_SIMD) return f32x4.extract_lane(derivV(act, f32x4.splat(y), f32x4.splat(1)), 0);
  switch (act) {
    case RELU: return y > 0 ? 1 : 0;
    case SIGMOID: return y * (1 - y);
    case TANH: return 1 - y * y;
    case ELU: return y > 0 ? 1 : y + 1;
    case SELU: return y > 0 ? SELU_SCALE : y + SELU_SCALE * SELU_ALPHA;
    case SOFTPLUS: return 1 - Mathf.exp(-y);
    case SOFTSIGN: {
      const d: f32 = 1 - Mathf.abs(y);
      return d * d;
    }
    case HARD_SIGMOID: return y > 0 && y < 1 ? 0.2 : 0;
    case RELU6: return y > 0 && y < 6 ? 1 : 0;
    case EXPONENTIAL: return y;
    default: return 1;
  }
}

/** act'(x) from the input x, for every code. */
export function actDerivativeFromInput(act: i32, x: f32): f32 {
  if (ASC_FEATURE_SIMD) {
    // From the output where it determines the derivative, as the SIMD kernels do.
    const v = f32x4.splat(x);
    const one = f32x4.splat(1);
    return f32x4.extract_lane(simdDerivativeFromInput(act) ? derivFromInputV(act, v, one) : derivV(act, actV(act, v), one), 0);
  }
  switch (act) {
    case RELU: return x > 0 ? 1 : 0;
    case SIGMOID: {
      const s = sigmoid(x);
      return s * (1 - s);
    }
    case TANH: {
      const t = Mathf.tanh(x);
      return 1 - t * t;
    }
    case ELU: return x > 0 ? 1 : Mathf.exp(x);
    case SELU: return x > 0 ? SELU_SCALE : SELU_SCALE * SELU_ALPHA * Mathf.exp(x);
    case SOFTPLUS: return sigmoid(x);
    case SOFTSIGN: {
      const d: f32 = 1 + Mathf.abs(x);
      return 1 / (d * d);
    }
    case HARD_SIGMOID: return x > -2.5 && x < 2.5 ? 0.2 : 0;
    case RELU6: return x > 0 && x < 6 ? 1 : 0;
    case EXPONENTIAL: return Mathf.exp(x);
    case GELU: return normalCdf(x) + x * INV_SQRT_2PI * Mathf.exp(-0.5 * x * x);
    case GELU_TANH: {
      const t = Mathf.tanh(GELU_C * (x + GELU_K * x * x * x));
      return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * GELU_C * (1 + 3 * GELU_K * x * x);
    }
    case SWISH: {
      const s = sigmoid(x);
      return s + x * s * (1 - s);
    }
    case MISH: {
      // t + x·σ·(1 − t²), softplus' = σ, 1 − t² = 4q²/(1 + q²)².
      const s = sigmoid(x);
      const q: f32 = 1 - s;
      const d: f32 = 1 + q * q;
      return (s * (1 + q)) / d + (x * s * (4 * q * q)) / (d * d);
    }
    default: return 1;
  }
}
