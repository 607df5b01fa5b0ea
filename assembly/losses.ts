// Losses over rows×cols probabilities/targets, each fused with its gradient. They run on the
// classifier head (a few hundred values), so they work in f64 like the reference.
// Pointers are element indices (byte address = ptr << 2). Each returns the mean loss.

const EPSILON: f64 = 1e-7;

export function softmaxCrossEntropy(p: usize, t: usize, dz: usize, rows: i32, cols: i32): f64 {
  p <<= 2;
  t <<= 2;
  dz <<= 2;
  const count = <usize>rows * <usize>cols;
  let loss: f64 = 0;
  for (let j: usize = 0; j < count; j++) {
    const o = j << 2;
    const pj = <f64>load<f32>(p + o);
    const tj = <f64>load<f32>(t + o);
    if (tj != 0) loss -= tj * Math.log(Math.max(pj, EPSILON));
    store<f32>(dz + o, <f32>((pj - tj) / rows));
  }
  return loss / rows;
}

export function crossEntropy(p: usize, t: usize, dp: usize, rows: i32, cols: i32): f64 {
  p <<= 2;
  t <<= 2;
  dp <<= 2;
  const count = <usize>rows * <usize>cols;
  let loss: f64 = 0;
  for (let j: usize = 0; j < count; j++) {
    const o = j << 2;
    const pj = <f64>load<f32>(p + o);
    const tj = <f64>load<f32>(t + o);
    const clipped = pj < EPSILON || pj > 1 - EPSILON;
    const pc = Math.min(Math.max(pj, EPSILON), 1 - EPSILON);
    if (tj != 0) loss -= tj * Math.log(pc);
    store<f32>(dp + o, clipped ? 0 : <f32>(-tj / (pc * rows)));
  }
  return loss / rows;
}

export function meanSquaredError(p: usize, t: usize, dp: usize, rows: i32, cols: i32): f64 {
  p <<= 2;
  t <<= 2;
  dp <<= 2;
  const count = <usize>rows * <usize>cols;
  let loss: f64 = 0;
  for (let j: usize = 0; j < count; j++) {
    const o = j << 2;
    const d = <f64>load<f32>(p + o) - <f64>load<f32>(t + o);
    loss += d * d;
    store<f32>(dp + o, <f32>((2 * d) / <f64>count));
  }
  return loss / <f64>count;
}
