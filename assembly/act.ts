// Activation codes shared with src/kernels/kernels.ts (`Act`): keep the numbers in sync.
export const LINEAR: i32 = 0;
export const RELU: i32 = 1;
export const SIGMOID: i32 = 2;
export const TANH: i32 = 3;

/** act(v) for one value (the SIMD paths in activations.ts cover linear and relu themselves). */
@inline
export function applyAct(act: i32, v: f32): f32 {
  if (act == RELU) return v > 0 ? v : 0;
  if (act == SIGMOID) return 1 / (1 + Mathf.exp(-v));
  if (act == TANH) return Mathf.tanh(v);
  return v;
}

/** act'(x) expressed through the activation's output y. */
@inline
export function actDerivative(act: i32, y: f32): f32 {
  if (act == RELU) return y > 0 ? 1 : 0;
  if (act == SIGMOID) return y * (1 - y);
  if (act == TANH) return 1 - y * y;
  return 1;
}
