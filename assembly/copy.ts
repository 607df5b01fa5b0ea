// Small-block copy/fill/add helpers for the window kernels (im2col, col2im, pooling).
// memory.copy / memory.fill go through an engine call that costs more than the copy itself
// for the 1–3 channel rows of a first conv layer, so short runs use a plain loop.

const SHORT_BYTES: usize = 64;

@inline
export function copyFloats(dst: usize, src: usize, count: i32): void {
  const bytes = <usize>count << 2;
  if (bytes >= SHORT_BYTES) {
    memory.copy(dst, src, bytes);
    return;
  }
  let o: usize = 0;
  if (ASC_FEATURE_SIMD) {
    for (; o + 16 <= bytes; o += 16) v128.store(dst + o, v128.load(src + o));
  }
  for (; o < bytes; o += 4) store<f32>(dst + o, load<f32>(src + o));
}

@inline
export function zeroFloats(dst: usize, count: i32): void {
  const bytes = <usize>count << 2;
  if (bytes >= SHORT_BYTES) {
    memory.fill(dst, 0, bytes);
    return;
  }
  for (let o: usize = 0; o < bytes; o += 4) store<f32>(dst + o, 0);
}

/** dst[i] += src[i] for i < count. */
@inline
export function addFloats(dst: usize, src: usize, count: i32): void {
  const bytes = <usize>count << 2;
  let o: usize = 0;
  if (ASC_FEATURE_SIMD) {
    for (; o + 16 <= bytes; o += 16) v128.store(dst + o, f32x4.add(v128.load(dst + o), v128.load(src + o)));
  }
  for (; o < bytes; o += 4) store<f32>(dst + o, load<f32>(dst + o) + load<f32>(src + o));
}
