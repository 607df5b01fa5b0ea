// The activations and their derivatives on 4 lanes (act.ts has the one-value forms they must
// match). Everything exp-based goes through expV: exp by range reduction, x = n·ln2 + r with
// |r| ≤ ln2/2, a degree-7 Taylor polynomial of e^r (truncation < 6e-9 relative) and 2^n put
// into the exponent bits; its error is that of float32 arithmetic, a few ulp (the parity tests
// hold every activation to 1e-6 + 1e-5·|reference|). Only softplus' forward stays scalar
// (it needs a logarithm). On SIMD builds act.ts computes single values through these too. The
// functions built on expV are calls, not inlined: inlined into every case of every loop they cost
// more than 10 KB of the module (test/bundle-size.test.ts). Binaryen does inline expV itself
// into each of them, so new code reaches e^x through sigmoidV where it can (tanh, mish,
// exponential) rather than adding another copy.
import {
  LINEAR, RELU, SIGMOID, TANH, ELU, SELU, SOFTPLUS, SOFTSIGN, HARD_SIGMOID, RELU6, EXPONENTIAL, GELU, GELU_TANH, SWISH, MISH,
  SELU_SCALE, SELU_ALPHA, GELU_C, GELU_K, INV_SQRT2, INV_SQRT_2PI,
} from './act';

const EXP_OVERFLOW: f32 = 88.72283; // ln(FLT_MAX): e^x beyond it is Infinity
const EXP_HI: f32 = 88.37; // the largest x whose n stays 127 (2^n must fit the exponent bits)
const EXP_LO: f32 = -87.33654475; // below this e^x is subnormal: 0
const LOG2E: f32 = 1.44269504088896341;
const LN2_HI: f32 = 0.693359375; // ln 2 in two parts, so n·LN2_HI is exact
const LN2_LO: f32 = -2.12194440e-4;

@inline
function splat(v: f32): v128 {
  return f32x4.splat(v);
}

/** e^x on 4 lanes; NaN stays NaN (min/max propagate it). */
function expV(x: v128): v128 {
  const c = f32x4.min(f32x4.max(x, splat(EXP_LO)), splat(EXP_HI));
  const n = f32x4.nearest(f32x4.mul(c, splat(LOG2E)));
  const r = f32x4.sub(f32x4.sub(c, f32x4.mul(n, splat(LN2_HI))), f32x4.mul(n, splat(LN2_LO)));
  let p = splat(1.0 / 5040);
  p = f32x4.add(f32x4.mul(p, r), splat(1.0 / 720));
  p = f32x4.add(f32x4.mul(p, r), splat(1.0 / 120));
  p = f32x4.add(f32x4.mul(p, r), splat(1.0 / 24));
  p = f32x4.add(f32x4.mul(p, r), splat(1.0 / 6));
  p = f32x4.add(f32x4.mul(p, r), splat(0.5));
  p = f32x4.add(f32x4.mul(p, r), splat(1));
  p = f32x4.add(f32x4.mul(p, r), splat(1));
  const scale = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  const e = f32x4.mul(p, scale);
  const over = f32x4.gt(x, splat(EXP_OVERFLOW));
  const under = f32x4.lt(x, splat(EXP_LO));
  return v128.andnot(v128.bitselect(splat(Infinity), e, over), under);
}

/** e^x − 1 for x ≤ 0 without the cancellation near 0 (a Taylor polynomial for |x| < 0.35). */
function expm1NegV(x: v128): v128 {
  let p = splat(1.0 / 5040);
  p = f32x4.add(f32x4.mul(p, x), splat(1.0 / 720));
  p = f32x4.add(f32x4.mul(p, x), splat(1.0 / 120));
  p = f32x4.add(f32x4.mul(p, x), splat(1.0 / 24));
  p = f32x4.add(f32x4.mul(p, x), splat(1.0 / 6));
  p = f32x4.add(f32x4.mul(p, x), splat(0.5));
  p = f32x4.add(f32x4.mul(p, x), splat(1));
  p = f32x4.mul(p, x);
  return v128.bitselect(p, f32x4.sub(expV(x), splat(1)), f32x4.gt(x, splat(-0.35)));
}

/**
 * e^x for x ≤ 0 as expm1NegV(x) + 1 (a call, not another inlined copy of expV): within an ulp of
 * 1 of e^x, which is all GELU's Φ and φ need from it.
 */
@inline
function expNegV(x: v128): v128 {
  return f32x4.add(expm1NegV(x), splat(1));
}

function sigmoidV(x: v128): v128 {
  return f32x4.div(splat(1), f32x4.add(splat(1), expV(f32x4.neg(x))));
}

/**
 * tanh on 4 lanes: 1 − 2/(e^(2|x|) + 1) with x's sign, and its odd Taylor series below |x| = 0.1
 * (no cancellation). 2/(e^(2|x|) + 1) is 2·sigmoid(−2|x|), bit for bit (doubling is exact): a
 * call rather than expV's code inlined once more.
 */
function tanhV(x: v128): v128 {
  const a = f32x4.abs(x);
  const big = f32x4.sub(splat(1), f32x4.mul(splat(2), sigmoidV(f32x4.neg(f32x4.add(a, a)))));
  const a2 = f32x4.mul(a, a);
  let p = splat(2.0 / 15);
  p = f32x4.sub(f32x4.mul(p, a2), splat(1.0 / 3));
  p = f32x4.add(f32x4.mul(p, a2), splat(1));
  const t = v128.bitselect(f32x4.mul(p, a), big, f32x4.lt(a, splat(0.1)));
  return v128.or(t, v128.and(x, splat(-0.0))); // |tanh| with x's sign bit
}

/** Φ(x) = (1 + erf(x/√2))/2, erf by Abramowitz & Stegun 7.1.26 as act.ts. */
function normalCdfV(x: v128): v128 {
  const z = f32x4.mul(x, splat(INV_SQRT2));
  const a = f32x4.abs(z);
  const t = f32x4.div(splat(1), f32x4.add(splat(1), f32x4.mul(splat(0.3275911), a)));
  let p = splat(1.061405429);
  p = f32x4.add(f32x4.mul(p, t), splat(-1.453152027));
  p = f32x4.add(f32x4.mul(p, t), splat(1.421413741));
  p = f32x4.add(f32x4.mul(p, t), splat(-0.284496736));
  p = f32x4.add(f32x4.mul(p, t), splat(0.254829592));
  p = f32x4.mul(p, t);
  const e = f32x4.sub(splat(1), f32x4.mul(p, expNegV(f32x4.neg(f32x4.mul(a, a)))));
  const erf = v128.or(e, v128.and(z, splat(-0.0)));
  return f32x4.mul(splat(0.5), f32x4.add(splat(1), erf));
}

@inline
function geluTanhInnerV(x: v128): v128 {
  const x3 = f32x4.mul(f32x4.mul(x, x), x);
  return f32x4.mul(splat(GELU_C), f32x4.add(x, f32x4.mul(splat(GELU_K), x3)));
}

/**
 * Mish's tanh(softplus(x)) without a logarithm, through sigmoid (no copy of expV of its own):
 * with σ = sigmoid(x) and q = 1 − σ = 1/(1 + e^x), tanh(softplus(x)) = (1 − q²)/(1 + q²) =
 * σ(1 + q)/(1 + q²), which cancels nowhere (σ is exact where it is small, q where it is).
 */
@inline
function mishTV(s: v128, q: v128): v128 {
  return f32x4.div(f32x4.mul(s, f32x4.add(splat(1), q)), f32x4.add(splat(1), f32x4.mul(q, q)));
}

@inline
function positive(v: v128): v128 {
  return f32x4.gt(v, splat(0));
}

/** Whether actV computes this activation (all but softplus). */
@inline
export function simdAct(act: i32): bool {
  return act != SOFTPLUS;
}

/** act on 4 lanes; NaN → 0 where the one-value form gives 0 (relu, relu6, hardSigmoid). */
export function actV(act: i32, v: v128): v128 {
  const zero = splat(0);
  switch (act) {
    case RELU: return f32x4.pmax(zero, v); // pmax(0, v) = 0 < v ? v : 0
    case SIGMOID: return sigmoidV(v);
    case TANH: return tanhV(v);
    case ELU: return v128.bitselect(v, expm1NegV(f32x4.min(v, zero)), positive(v));
    case SELU: return f32x4.mul(splat(SELU_SCALE), v128.bitselect(v, f32x4.mul(splat(SELU_ALPHA), expm1NegV(f32x4.min(v, zero))), positive(v)));
    case SOFTSIGN: return f32x4.div(v, f32x4.add(splat(1), f32x4.abs(v)));
    case HARD_SIGMOID: return f32x4.pmin(splat(1), f32x4.pmax(zero, f32x4.add(f32x4.mul(splat(0.2), v), splat(0.5))));
    case RELU6: return f32x4.pmin(splat(6), f32x4.pmax(zero, v));
    // σ(x)/σ(−x) = e^x within a few ulp: two calls instead of another inlined copy of expV's code.
    case EXPONENTIAL: return f32x4.div(sigmoidV(v), sigmoidV(f32x4.neg(v)));
    case GELU: return f32x4.mul(v, normalCdfV(v));
    case GELU_TANH: return f32x4.mul(f32x4.mul(splat(0.5), v), f32x4.add(splat(1), tanhV(geluTanhInnerV(v))));
    case SWISH: return f32x4.mul(v, sigmoidV(v));
    case MISH: {
      const s = sigmoidV(v);
      return f32x4.mul(v, mishTV(s, f32x4.sub(splat(1), s)));
    }
    default: return v;
  }
}

/** act'(x)·g on 4 lanes from the output y (codes below GELU). */
export function derivV(act: i32, y: v128, g: v128): v128 {
  const zero = splat(0);
  const one = splat(1);
  switch (act) {
    case RELU: return v128.and(g, f32x4.gt(y, zero));
    case SIGMOID: return f32x4.mul(g, f32x4.mul(y, f32x4.sub(one, y)));
    case TANH: return f32x4.mul(g, f32x4.sub(one, f32x4.mul(y, y)));
    case ELU: return f32x4.mul(g, v128.bitselect(one, f32x4.add(y, one), positive(y)));
    case SELU: return f32x4.mul(g, v128.bitselect(splat(SELU_SCALE), f32x4.add(y, splat(SELU_SCALE * SELU_ALPHA)), positive(y)));
    case SOFTPLUS: return f32x4.mul(g, f32x4.neg(expm1NegV(f32x4.neg(y)))); // σ(x) = 1 − e^(−y)
    case SOFTSIGN: {
      const d = f32x4.sub(one, f32x4.abs(y));
      return f32x4.mul(g, f32x4.mul(d, d));
    }
    case HARD_SIGMOID: return v128.and(f32x4.mul(g, splat(0.2)), v128.and(positive(y), f32x4.lt(y, one)));
    case RELU6: return v128.and(g, v128.and(positive(y), f32x4.lt(y, splat(6))));
    case EXPONENTIAL: return f32x4.mul(g, y);
    default: return g;
  }
}

/**
 * Whether derivFromInputV computes this derivative: the activations layers need it for (their
 * output does not determine it) and softplus (whose forward has no 4-lane form); the others go
 * through their output on this rare path (act.ts actDerivativeFromInput).
 */
@inline
export function simdDerivativeFromInput(act: i32): bool {
  return act == GELU || act == GELU_TANH || act == SWISH || act == MISH || act == SOFTPLUS;
}

/** act'(x)·g on 4 lanes from the input x, for the codes simdDerivativeFromInput accepts. */
export function derivFromInputV(act: i32, x: v128, g: v128): v128 {
  const one = splat(1);
  switch (act) {
    case GELU: {
      const pdf = f32x4.mul(splat(INV_SQRT_2PI), expNegV(f32x4.mul(splat(-0.5), f32x4.mul(x, x))));
      return f32x4.mul(g, f32x4.add(normalCdfV(x), f32x4.mul(x, pdf)));
    }
    case GELU_TANH: {
      const t = tanhV(geluTanhInnerV(x));
      const inner = f32x4.mul(splat(GELU_C), f32x4.add(one, f32x4.mul(splat(3 * GELU_K), f32x4.mul(x, x))));
      const d = f32x4.add(f32x4.mul(splat(0.5), f32x4.add(one, t)), f32x4.mul(f32x4.mul(f32x4.mul(splat(0.5), x), f32x4.sub(one, f32x4.mul(t, t))), inner));
      return f32x4.mul(g, d);
    }
    case SOFTPLUS: return f32x4.mul(g, sigmoidV(x));
    case MISH: {
      // t + x·σ·(1 − t²), 1 − t² = 4q²/(1 + q²)².
      const s = sigmoidV(x);
      const q = f32x4.sub(one, s);
      const d = f32x4.add(one, f32x4.mul(q, q));
      const oneMinusT2 = f32x4.div(f32x4.mul(splat(4), f32x4.mul(q, q)), f32x4.mul(d, d));
      return f32x4.mul(g, f32x4.add(mishTV(s, q), f32x4.mul(f32x4.mul(x, s), oneMinusT2)));
    }
    default: { // SWISH
      const s = sigmoidV(x);
      return f32x4.mul(g, f32x4.add(s, f32x4.mul(f32x4.mul(x, s), f32x4.sub(one, s))));
    }
  }
}
