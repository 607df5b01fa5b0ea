// The augmentation kernels alone on a training batch of MNIST-sized images (64×28×28×1):
// affineWarp (one of the Keras layers' resamplings; on images with ink everywhere, and on MNIST
// digits, whose zero ground it skips), elasticWarp (RandomElastic's fields and resampling) and
// adjustContrast, on one thread and shared with the worker (split by samples,
// src/kernels/wasm/augment-split.ts), alternating so both see the same machine. Each sample
// times three calls in a row, as the Keras stack (rotation, translation, zoom) makes them: the
// worker, asleep after the other side's turn, is woken by the first and spins through the next.
// The fastest sample of each is the one least disturbed by other processes on a shared host.
//
//   npx tsx bench/augment-kernels.ts [--batch 64] [--reps 200]
import { setFlagsFromString } from 'node:v8';
import type { Backend } from '../src/kernels/backend.js';
import { elasticFieldFloats, FillMode } from '../src/kernels/kernels.js';
import { createWasmBackend } from '../src/kernels/wasm/index.js';
import { spawnNodeWorker } from '../src/kernels/wasm/threads-node.js';
import { gaussianTaps } from '../src/layers/random-elastic.js';
import { loadMnist } from '../src/index.node.js';
import { median, now, table } from './common.js';
import { positiveFlag } from './alternating.js';

setFlagsFromString('--experimental-wasm-relaxed-simd');

const n = positiveFlag('bench/augment-kernels', '--batch', 64);
const reps = positiveFlag('bench/augment-kernels', '--reps', 200);
const [h, w] = [28, 28];
const size = n * h * w;
const taps = gaussianTaps(4);
const mnist = (await loadMnist({ only: 'train', trainLimit: n })).train.x.data.subarray(0, size);
const radius = taps.length - 1;

/** The operands laid out in `b`'s arena; returns the three calls. */
function calls(b: Backend): [string, () => void][] {
  const [x, y, t, f, tp] = [b.base, b.base + size, b.base + 2 * size, b.base + 2 * size + 6 * n, b.base + 2 * size + 7 * n];
  const fields = tp + taps.length;
  const digits = fields + n * elasticFieldFloats(h, w, radius);
  b.reserve(digits + size);
  const arena = b.f32();
  for (let i = 0; i < size; i++) arena[x + i] = (i * 7919) % 256 / 255;
  arena.set(mnist, digits);
  for (let s = 0; s < n; s++) {
    const a = 0.1 * Math.sin(s);
    arena.set([Math.cos(a), -Math.sin(a), 1.5, Math.sin(a), Math.cos(a), -1], t + 6 * s);
    arena[f + s] = 0.8 + 0.4 * Math.cos(s);
  }
  arena.set(taps, tp);
  return [
    ['affineWarp (ink everywhere)', () => b.affineWarp(x, y, t, n, h, w, 1, FillMode.constant, 0)],
    // Digits: ink on a zero ground, most of which the warp need not sample.
    ['affineWarp (MNIST digits)', () => b.affineWarp(digits, y, t, n, h, w, 1, FillMode.constant, 0)],
    ['elasticWarp (sigma 4)', () => b.elasticWarp(x, y, fields, tp, radius, 34, 12345, n, h, w, 1, FillMode.constant, 0)],
    ['adjustContrast', () => b.adjustContrast(x, y, f, n, h * w, 1, 0, 1)],
  ];
}

const one = await createWasmBackend({});
const two = await createWasmBackend({ threads: 2, spawnWorker: spawnNodeWorker });
const sides = [calls(one), calls(two)];
const times = sides.map((s) => s.map(() => [] as number[]));
for (let r = 0; r < reps; r++) {
  for (let k = 0; k < sides[0]!.length; k++) {
    for (let side = 0; side < 2; side++) {
      const call = sides[side]![k]![1];
      const start = now();
      call();
      call();
      call();
      times[side]![k]!.push((now() - start) / 3);
    }
  }
}
console.log(`batch ${n}×${h}×${w}×1, ${reps} alternating samples of 3 calls each (µs per call), wasm ${one.variant}; worker chunks: ${two.workerChunks}`);
console.log(
  table(
    ['kernel', '1 thread: median µs', 'fastest', '2 threads: median µs', 'fastest', 'speed-up (medians)', '(fastest)'],
    sides[0]!.map(([name], k) => {
      const [a, b] = [times[0]![k]!, times[1]![k]!];
      const [ma, mb, fa, fb] = [median(a) * 1e6, median(b) * 1e6, Math.min(...a) * 1e6, Math.min(...b) * 1e6];
      return [name, ma.toFixed(0), fa.toFixed(0), mb.toFixed(0), fb.toFixed(0), `${(ma / mb).toFixed(2)}x`, `${(fa / fb).toFixed(2)}x`];
    }),
  ),
);
one.dispose();
two.dispose();
