// The elastic-distortion kernel (elasticWarp): the plain-TS reference against a direct 2-D
// formulation of the smoothed field (a double sum over the Gaussian's support, float64), then every
// WebAssembly build this engine accepts against the reference on random images, shapes, radii and
// fill modes: the fields bit for bit, the images to float32 rounding of the sampling weights.
import { setFlagsFromString } from 'node:v8';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createJsBackend } from '../src/kernels/js/index.js';
import { elasticFieldFloats, FillMode, uniformHash, type FillModeCode } from '../src/kernels/kernels.js';
import { createWasmBackend, supportedVariants } from '../src/kernels/wasm/index.js';
import { gaussianTaps } from '../src/layers/random-elastic.js';
import { BackendPair } from './helpers/backend-pair.js';
import { mulberry32, randomArray } from './helpers/random.js';

setFlagsFromString('--experimental-wasm-relaxed-simd');

const MODES = Object.entries(FillMode) as [keyof typeof FillMode, FillModeCode][];

/** [n, h, w, c, sigma, what it exercises]. */
const SHAPES: [number, number, number, number, number, string][] = [
  [3, 28, 28, 1, 4, 'MNIST-sized, the usual sigma'],
  [2, 9, 7, 1, 1.5, 'ragged width (vector loop and tail)'],
  [2, 6, 5, 4, 0.8, 'one vector of channels'],
  [1, 5, 11, 3, 6, 'a radius wider than the image'],
  [2, 1, 6, 2, 1, 'a one-pixel-high image'],
];

const reference = suite('elasticWarp reference');

reference('the fields are the 2-D Gaussian sum of the hashed noise, scaled by alpha; displacement 0 copies the image', () => {
  const js = createJsBackend();
  const [n, h, w, sigma, alpha, seed] = [2, 8, 9, 1.3, 5, 1234];
  const taps = gaussianTaps(sigma);
  const radius = taps.length - 1;
  const per = elasticFieldFloats(h, w, radius);
  const [x, y, t, fields] = [0, n * h * w, 2 * n * h * w, 2 * n * h * w + taps.length];
  js.reserve(fields + n * per);
  js.f32().set(randomArray(mulberry32(5), n * h * w), x);
  js.f32().set(taps, t);
  js.elasticWarp(x, y, fields, t, radius, alpha, seed, n, h, w, 1, FillMode.constant, 0);
  const f = js.f32();
  for (let b = 0; b < n; b++) {
    for (const axis of [0, 1]) {
      const field = fields + b * per + per - 2 * h * w + axis * h * w;
      for (let r = 0; r < h; r++) {
        for (let col = 0; col < w; col++) {
          let direct = 0;
          for (let i = -radius; i <= radius; i++) {
            for (let j = -radius; j <= radius; j++) {
              const [rr, cc] = [r + i, col + j];
              if (rr >= 0 && rr < h && cc >= 0 && cc < w) direct += taps[Math.abs(i)]! * taps[Math.abs(j)]! * (2 * uniformHash(seed, (2 * b + axis) * h * w + rr * w + cc) - 1);
            }
          }
          const got = f[field + r * w + col]!;
          if (Math.abs(got - alpha * direct) > 1e-5 * alpha) assert.unreachable(`image ${b} axis ${axis} (${r}, ${col}): ${got} vs ${alpha * direct}`);
        }
      }
    }
  }
  js.elasticWarp(x, y, fields, t, radius, 0, seed, n, h, w, 1, FillMode.reflect, 0);
  assert.equal(Array.from(js.f32().subarray(y, y + n * h * w)), Array.from(js.f32().subarray(x, x + n * h * w)));
});

reference('another seed draws other fields; every image of a batch its own', () => {
  const js = createJsBackend();
  const [n, h, w] = [2, 6, 6];
  const taps = gaussianTaps(1);
  const radius = taps.length - 1;
  const per = elasticFieldFloats(h, w, radius);
  const fields = 2 * n * h * w + taps.length;
  js.reserve(fields + n * per);
  js.f32().set(taps, 2 * n * h * w);
  const dx = (seed: number, b: number): number[] => {
    js.elasticWarp(0, n * h * w, fields, 2 * n * h * w, radius, 3, seed, n, h, w, 1, FillMode.constant, 0);
    return Array.from(js.f32().subarray(fields + b * per + per - 2 * h * w, fields + b * per + per - h * w));
  };
  assert.not.equal(dx(1, 0), dx(2, 0));
  assert.not.equal(dx(1, 0), dx(1, 1));
  assert.equal(dx(7, 1), dx(7, 1));
});

reference('gaussianTaps: distances 0 … ⌈3·sigma⌉ of a Gaussian whose whole kernel sums to 1', () => {
  for (const sigma of [0.3, 1, 2.5, 4]) {
    const taps = gaussianTaps(sigma);
    assert.is(taps.length, Math.max(1, Math.ceil(3 * sigma)) + 1);
    const total = taps.reduce((a, v, d) => a + (d === 0 ? v : 2 * v), 0);
    assert.ok(Math.abs(total - 1) < 1e-6, `sigma ${sigma}: sums to ${total}`);
    const ratio = taps[1]! / taps[0]!;
    assert.ok(Math.abs(ratio - Math.exp(-1 / (2 * sigma * sigma))) < 1e-6, `sigma ${sigma}: the next weight is exp(-1/2σ²) of the centre's`);
  }
});

reference.run();

for (const variant of supportedVariants()) {
  const s = suite(`elasticWarp (${variant}) vs reference`);
  let pair: BackendPair | undefined;
  s.before(async () => {
    pair = new BackendPair(createJsBackend(), await createWasmBackend({ variant }));
  });

  s('every fill mode on random shapes, sigmas and misaligned buffers: fields identical, images close', () => {
    const p = pair!;
    const rng = mulberry32(71);
    for (const [n, h, w, c, sigma, what] of SHAPES) {
      for (const [mode, code] of MODES) {
        p.reset();
        const size = n * h * w * c;
        const taps = gaussianTaps(sigma);
        const radius = taps.length - 1;
        const per = elasticFieldFloats(h, w, radius);
        const x = p.alloc(size, randomArray(rng, size), 1);
        const t = p.alloc(taps.length, taps, 3);
        const fields = p.alloc(n * per, undefined, 2);
        const y = p.alloc(size, undefined, 1);
        const alpha = 1 + 30 * rng();
        const seed = Math.floor(rng() * 2 ** 31);
        const fillValue = rng() * 2 - 1;
        p.run((be) => be.elasticWarp(x, y, fields, t, radius, alpha, seed, n, h, w, c, code, fillValue));
        for (let b = 0; b < n; b++) p.same(fields + b * per + per - 2 * h * w, 2 * h * w, `elasticWarp fields ${mode} ${what} image ${b}`);
        p.close(y, size, `elasticWarp ${mode} ${what}`, 1e-5);
      }
    }
  });

  s.run();
}

