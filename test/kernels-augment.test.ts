// The augmentation kernels (affineWarp, adjustContrast): the plain-TS reference against TF.js
// 4.22's own ImageProjectiveTransform (tf.image.transform) for every fill mode, then every
// WebAssembly build this engine accepts against the reference on random images, shapes, modes
// and transforms.
import { setFlagsFromString } from 'node:v8';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { createJsBackend } from '../src/kernels/js/index.js';
import { FillMode, type FillModeCode } from '../src/kernels/kernels.js';
import { createWasmBackend, supportedVariants } from '../src/kernels/wasm/index.js';
import { splitSamples } from '../src/kernels/wasm/augment-split.js';
import { elasticFieldFloats } from '../src/kernels/kernels.js';
import { gaussianTaps } from '../src/layers/random-elastic.js';
import { oneAndTwoThreads } from './helpers/thread-pair.js';
import { BackendPair, assertClose } from './helpers/backend-pair.js';
import { mulberry32, randomArray, type Rng } from './helpers/random.js';

// As in kernels-wasm.test.ts: lets Node 20 validate (and so test) the relaxed-SIMD build.
setFlagsFromString('--experimental-wasm-relaxed-simd');

const MODES = Object.entries(FillMode) as [keyof typeof FillMode, FillModeCode][];

/** [n, h, w, c, what it exercises]. */
const SHAPES: [number, number, number, number, string][] = [
  [3, 7, 9, 1, 'one channel (MNIST-like)'],
  [2, 6, 5, 4, 'one vector of channels'],
  [2, 5, 8, 7, 'a vector and a ragged remainder'],
  [1, 1, 6, 3, 'a one-pixel-high image (reflect and wrap fold to 0)'],
  [2, 9, 9, 13, 'several vectors'],
];

/**
 * A random inverse affine map per image: rotation, zoom, shear and translation, some of them
 * pushing coordinates several image sizes outside (reflect and wrap fold more than once).
 */
function randomTransforms(rng: Rng, n: number, h: number, w: number): Float32Array {
  const t = new Float32Array(6 * n);
  for (let b = 0; b < n; b++) {
    const angle = (rng() - 0.5) * 2 * Math.PI;
    const zoom = 0.3 + 2.5 * rng();
    const far = b % 2 === 1 ? 3 : 0.5;
    const [cos, sin] = [Math.cos(angle) * zoom, Math.sin(angle) * zoom];
    t.set([cos, -sin + 0.2 * (rng() - 0.5), (rng() - 0.5) * far * w, sin, cos, (rng() - 0.5) * far * h], 6 * b);
  }
  return t;
}

const reference = suite('affineWarp reference vs TF.js tf.image.transform');

reference('every fill mode, bilinear, random maps and fill values', async () => {
  await tf.setBackend('cpu');
  const js = createJsBackend();
  const rng = mulberry32(3);
  for (const [n, h, w, c, what] of SHAPES) {
    const size = n * h * w * c;
    const image = randomArray(rng, size);
    const transforms = randomTransforms(rng, n, h, w);
    js.reserve(3 * size + transforms.length);
    const f = js.f32();
    f.set(image, 0);
    f.set(transforms, 2 * size);
    for (const [mode, code] of MODES) {
      const fillValue = code === FillMode.constant ? rng() * 2 - 1 : 0;
      js.affineWarp(0, size, 2 * size, n, h, w, c, code, fillValue);
      const ours = js.f32().slice(size, 2 * size);
      // One image per call: TF.js 4.22's CPU Transform kernel returns after the first image.
      for (let b = 0; b < n; b++) {
        const one = h * w * c;
        const theirs = tf.tidy(() =>
          tf.image
            .transform(tf.tensor4d(image.subarray(b * one, (b + 1) * one), [1, h, w, c]), tf.tensor2d([...transforms.subarray(6 * b, 6 * b + 6), 0, 0], [1, 8]), 'bilinear', mode, fillValue)
            .dataSync(),
        );
        assertClose(ours.subarray(b * one, (b + 1) * one), theirs, `${mode} image ${b}, ${what}`, 1e-5);
      }
    }
  }
});

reference('an integer translation moves pixels exactly; the identity map copies', () => {
  const js = createJsBackend();
  const [h, w] = [4, 5];
  js.reserve(3 * h * w + 12);
  const f = js.f32();
  for (let i = 0; i < h * w; i++) f[i] = i;
  // Output (ox, oy) reads input (ox − 2, oy + 1): the content moves right 2 and up 1.
  f.set([1, 0, -2, 0, 1, 1, 1, 0, 0, 0, 1, 0], 2 * h * w);
  js.affineWarp(0, h * w, 2 * h * w, 1, h, w, 1, FillMode.constant, -1);
  const moved = Array.from(js.f32().subarray(h * w, 2 * h * w));
  const expected = Array.from({ length: h * w }, (_, i) => {
    const [oy, ox] = [Math.floor(i / w), i % w];
    const [iy, ix] = [oy + 1, ox - 2];
    return iy < h && ix >= 0 ? iy * w + ix : -1;
  });
  assert.equal(moved, expected);
  js.affineWarp(0, h * w, 2 * h * w + 6, 1, h, w, 1, FillMode.reflect, 0);
  assert.equal(Array.from(js.f32().subarray(h * w, 2 * h * w)), Array.from({ length: h * w }, (_, i) => i));
});

reference.run();

for (const variant of supportedVariants()) {
  const s = suite(`augmentation kernels (${variant}) vs reference`);
  let pair: BackendPair | undefined;
  s.before(async () => {
    pair = new BackendPair(createJsBackend(), await createWasmBackend({ variant }));
  });

  s('affineWarp: every fill mode on random shapes and maps, misaligned buffers', () => {
    const p = pair!;
    const rng = mulberry32(41);
    for (const [n, h, w, c, what] of SHAPES) {
      for (const [mode, code] of MODES) {
        p.reset();
        const size = n * h * w * c;
        const x = p.alloc(size, randomArray(rng, size), 1);
        const t = p.alloc(6 * n, randomTransforms(rng, n, h, w), 3);
        const y = p.alloc(size, undefined, 2);
        const fillValue = rng() * 2 - 1;
        p.run((be) => be.affineWarp(x, y, t, n, h, w, c, code, fillValue));
        p.close(y, size, `affineWarp ${mode} ${what}`, 1e-5);
      }
    }
  });

  s("affineWarp: mild maps of one-channel images (four pixels at a time: inside, constant-fill borders, the other modes' borders by the general path)", () => {
    const p = pair!;
    const rng = mulberry32(43);
    for (const [n, h, w] of [[4, 28, 28], [3, 10, 13], [2, 7, 8]] as const) {
      for (const [mode, code] of MODES) {
        p.reset();
        const size = n * h * w;
        const x = p.alloc(size, randomArray(rng, size), 2);
        const t = new Float32Array(6 * n);
        for (let b = 0; b < n; b++) {
          const angle = (rng() - 0.5) * 0.5;
          const zoom = 0.9 + 0.2 * rng();
          t.set([Math.cos(angle) * zoom, -Math.sin(angle), (rng() - 0.5) * 3, Math.sin(angle), Math.cos(angle) * zoom, (rng() - 0.5) * 3], 6 * b);
        }
        const transforms = p.alloc(6 * n, t, 1);
        const y = p.alloc(size, undefined, 3);
        p.run((be) => be.affineWarp(x, y, transforms, n, h, w, 1, code, 0.25));
        p.close(y, size, `affineWarp mild ${mode} ${n}x${h}x${w}`, 1e-5);
      }
    }
  });

  s('affineWarp: ink on a zero ground with a constant fill of 0 (only the stretches that can reach the ink are sampled)', () => {
    const p = pair!;
    const rng = mulberry32(44);
    for (const [n, h, w, c] of [[6, 28, 28, 1], [4, 11, 9, 3], [3, 5, 7, 1]] as const) {
      for (const wild of [false, true]) {
        p.reset();
        const size = n * h * w * c;
        const pictures = new Float32Array(size);
        // Image 0 blank; the others a random block of ink, image 1's touching the top-left corner.
        for (let b = 1; b < n; b++) {
          const [x0, y0] = b === 1 ? [0, 0] : [Math.floor(rng() * w), Math.floor(rng() * h)];
          const [x1, y1] = [x0 + Math.floor(rng() * (w - x0)), y0 + Math.floor(rng() * (h - y0))];
          for (let yy = y0; yy <= y1; yy++) for (let xx = x0; xx <= x1; xx++) for (let ch = 0; ch < c; ch++) pictures[((b * h + yy) * w + xx) * c + ch] = rng() < 0.7 ? rng() : 0;
        }
        const t = wild ? randomTransforms(rng, n, h, w) : new Float32Array(6 * n);
        if (!wild) {
          for (let b = 0; b < n; b++) {
            const angle = (rng() - 0.5) * 0.5;
            const zoom = 0.9 + 0.2 * rng();
            t.set([Math.cos(angle) * zoom, -Math.sin(angle), (rng() - 0.5) * 6, Math.sin(angle), Math.cos(angle) * zoom, (rng() - 0.5) * 6], 6 * b);
          }
          t.set([1, 0, 2, 0, 1, -3], 6 * (n - 1)); // a pure shift: rows outside the ink's reach, and a zero slope in y
        }
        const x = p.alloc(size, pictures, 1);
        const transforms = p.alloc(6 * n, t, 2);
        const y = p.alloc(size, randomArray(rng, size), 3); // stale values everywhere: every output must be written
        p.run((be) => be.affineWarp(x, y, transforms, n, h, w, c, FillMode.constant, 0));
        p.close(y, size, `affineWarp ink ${wild ? 'wild' : 'mild'} ${n}x${h}x${w}x${c}`, 1e-5);
      }
    }
  });

  s('adjustContrast: per image and channel, clipped, in place too', () => {
    const p = pair!;
    const rng = mulberry32(42);
    for (const [n, h, w, c, what] of SHAPES) {
      p.reset();
      const size = n * h * w * c;
      const x = p.alloc(size, randomArray(rng, size, 0, 1), 1);
      const factors = p.alloc(n, randomArray(rng, n, 0, 2));
      const y = p.alloc(size, undefined, 3);
      p.run((be) => be.adjustContrast(x, y, factors, n, h * w, c, 0.1, 0.9));
      p.close(y, size, `adjustContrast ${what}`, 1e-5);
      p.run((be) => be.adjustContrast(x, x, factors, n, h * w, c, -Infinity, Infinity));
      p.close(x, size, `adjustContrast in place, unclipped ${what}`, 1e-5);
    }
  });

  s.run();
}

// ------------------------------------------------------------- two threads

const threads = suite('augmentation kernels on two threads');
const backends = oneAndTwoThreads(threads);

threads('warp, contrast and elastic split by samples equal the one-thread result bit for bit', () => {
  const { single, dual } = backends();
  const p = new BackendPair(single, dual);
  const rng = mulberry32(47);
  const before = dual.workerChunks;
  // [n, h, w, c]: a training batch of digits, a ragged last chunk, several channels.
  for (const [n, h, w, c] of [[64, 28, 28, 1], [37, 12, 12, 2], [9, 20, 17, 5]] as const) {
    assert.ok(splitSamples(n, h * w * c) !== null, `${n}x${h}x${w}x${c} is split`);
    for (const [mode, code] of MODES) {
      p.reset();
      const size = n * h * w * c;
      const x = p.alloc(size, randomArray(rng, size, 0, 1), 1);
      const t = p.alloc(6 * n, randomTransforms(rng, n, h, w), 2);
      const y = p.alloc(size, undefined, 3);
      p.run((be) => be.affineWarp(x, y, t, n, h, w, c, code, 0.5));
      p.same(y, size, `affineWarp ${mode} ${n}x${h}x${w}x${c}`);
      const taps = gaussianTaps(1 + 3 * rng());
      const radius = taps.length - 1;
      const tp = p.alloc(taps.length, taps);
      const fields = p.alloc(n * elasticFieldFloats(h, w, radius));
      p.run((be) => be.elasticWarp(x, y, fields, tp, radius, 20, 99, n, h, w, c, code, 0.5));
      p.same(y, size, `elasticWarp ${mode} ${n}x${h}x${w}x${c}`);
    }
    const factors = p.alloc(n, randomArray(rng, n, 0, 2));
    const x = p.alloc(n * h * w * c, randomArray(rng, n * h * w * c, 0, 1));
    const y = p.alloc(n * h * w * c);
    p.run((be) => be.adjustContrast(x, y, factors, n, h * w, c, 0, 1));
    p.same(y, n * h * w * c, `adjustContrast ${n}x${h}x${w}x${c}`);
  }
  assert.ok(dual.workerChunks > before, 'the worker computed some chunks');
});

threads('a batch too small to pay for the worker stays on one thread', () => {
  assert.is(splitSamples(1, 28 * 28), null);
  assert.is(splitSamples(4, 8 * 8), null);
});

threads.run();
