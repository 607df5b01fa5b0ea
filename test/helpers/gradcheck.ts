import { JsBackend } from '../../src/kernels/js/index.js';
import type { Layer, StepContext } from '../../src/layers/layer.js';
import { MemoryPlan } from '../../src/memory-plan.js';
import { shapeSize, type Shape } from '../../src/tensor.js';
import { mulberry32, randomArray } from './random.js';

export interface GradCheckResult {
  /** Largest |analytic − numeric| / max(1, |analytic|, |numeric|) over every checked value. */
  worst: number;
  where: string;
  checked: number;
}

/**
 * Checks a layer's backward pass against central finite differences of the scalar
 * L = Σ r ⊙ layer(x) (r random and fixed), computing in float64 so the differences
 * measure the calculus rather than float32 rounding. Non-trainable state (moving statistics)
 * holds random values in [0.5, 1.5]. `checkParams` false checks the input gradient only (a
 * frozen layer writes no parameter gradients).
 */
export function gradCheckLayer(layer: Layer, inputShape: Shape, batch: number, seed = 1, training = false, checkParams = true): GradCheckResult {
  const b = new JsBackend({ float64: true });
  const rng = mulberry32(seed);
  layer.build(inputShape);
  const memory = new MemoryPlan(0);
  for (const p of layer.params) {
    p.ptr = memory.alloc(p.size);
    p.grad = memory.alloc(p.size);
  }
  for (const s of layer.state) s.ptr = memory.alloc(s.size);
  const inSize = batch * shapeSize(inputShape);
  const outSize = batch * shapeSize(layer.outputShape);
  const x = memory.alloc(inSize);
  layer.plan(memory, batch);
  const scratch = memory.alloc(layer.scratchSize(batch));
  const dy = memory.alloc(outSize);
  const dx = memory.alloc(inSize);
  b.reserve(memory.end);
  const f = b.f32();
  f.set(randomArray(rng, inSize, -1, 1), x);
  for (const p of layer.params) f.set(randomArray(rng, p.size, -0.5, 0.5), p.ptr);
  for (const s of layer.state) f.set(randomArray(rng, s.size, 0.5, 1.5), s.ptr);
  const r = Float64Array.from(randomArray(rng, outSize, -1, 1));
  // A fixed seed: every forward pass draws the same dropout mask.
  const ctx: StepContext = { backend: b, scratch, training, nextSeed: () => 12345 };
  const loss = (): number => {
    const y = layer.forward(ctx, x, batch);
    let s = 0;
    for (let i = 0; i < outSize; i++) s += r[i]! * f[y + i]!;
    return s;
  };
  loss();
  f.set(r, dy);
  const dxAt = layer.backward(ctx, dy, dx, batch);
  const analytic = new Map<string, Float64Array>();
  if (dxAt !== null) analytic.set('input', Float64Array.from(f.subarray(dxAt, dxAt + inSize)));
  for (const p of layer.params) analytic.set(p.name, Float64Array.from(f.subarray(p.grad, p.grad + p.size)));

  const eps = 1e-6;
  let worst = 0;
  let where = '';
  let checked = 0;
  const probe = (name: string, base: number, size: number) => {
    const grad = analytic.get(name)!;
    for (let i = 0; i < size; i++) {
      const keep = f[base + i]!;
      f[base + i] = keep + eps;
      const up = loss();
      f[base + i] = keep - eps;
      const down = loss();
      f[base + i] = keep;
      const numeric = (up - down) / (2 * eps);
      const err = Math.abs(grad[i]! - numeric) / Math.max(1, Math.abs(grad[i]!), Math.abs(numeric));
      checked++;
      if (err > worst) {
        worst = err;
        where = `${name}[${i}]: analytic ${grad[i]} vs numeric ${numeric}`;
      }
    }
  };
  if (dxAt !== null) probe('input', x, inSize);
  if (checkParams) for (const p of layer.params) probe(p.name, p.ptr, p.size);
  return { worst, where, checked };
}
