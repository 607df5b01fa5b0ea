import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeImage, segmentDigits, type Box, type RgbaImage } from '../src/image/node.js';
import { cachedFixtures } from './fixtures/generate.js';
import { drawDigits, paint, type Look } from '../src/synthetic/handwriting.js';
import { drawPolylines, GLYPHS, linesBounds, placeGlyph } from '../src/synthetic/glyphs.js';
import { Rng } from '../src/synthetic/rng.js';

const fixtures = cachedFixtures(1);
const PEN: Look = { paper: [1, 1, 1], ink: [0.1, 0.1, 0.1], lighting: 0.2, texture: 0.02, noise: 0.01 };

function covered(truth: Box, box: Box): number {
  const w = Math.min(truth.x + truth.width, box.x + box.width) - Math.max(truth.x, box.x);
  const h = Math.min(truth.y + truth.height, box.y + box.height) - Math.max(truth.y, box.y);
  return w > 0 && h > 0 ? (w * h) / (truth.width * truth.height) : 0;
}

test('number fixtures: right count, left to right, boxes cover the digits', () => {
  const numbers = fixtures.filter((f) => f.kind === 'number');
  assert.ok(numbers.length >= 10);
  assert.ok(numbers.some((f) => f.name.includes('touching')));
  for (const f of numbers) {
    const img = decodeImage(f.bytes);
    const r = segmentDigits(img);
    assert.ok(r.isDigit, `${f.name}: ${r.reason}`);
    assert.is(r.segments.length, f.label!.length, `${f.name}: ${r.segments.length} segments`);
    r.segments.forEach((s, i) => {
      if (i > 0) assert.ok(s.box.x > r.segments[i - 1]!.box.x, `${f.name}: order`);
      assert.ok(s.box.x >= 0 && s.box.y >= 0 && s.box.x + s.box.width <= img.width && s.box.y + s.box.height <= img.height);
      // Touching/overlapping digits share columns, so a cut can clip a little of the truth box.
      const c = covered(f.boxes![i]!, s.box);
      assert.ok(c > (f.name.includes('touching') ? 0.6 : 0.85), `${f.name} digit ${i}: covers ${c.toFixed(2)} of ${JSON.stringify(f.boxes![i])} with ${JSON.stringify(s.box)}`);
      assert.is(s.input.length, 784);
    });
  }
});

test('a detached flag of a 5 merges into one digit; specks and a full stop are ignored', () => {
  const d = drawDigits(new Rng(5), '25', { width: 320, height: 200, size: 110, radiusFraction: 0.05, variants: [0, 1], gaps: [0.35] });
  const [, , x1, y1] = [d.boxes[1]!.x, d.boxes[1]!.y, d.boxes[1]!.x + d.boxes[1]!.width, d.boxes[1]!.y + d.boxes[1]!.height];
  drawPolylines(d.coverage, 320, 200, [[x1 + 14, y1 - 4, x1 + 14, y1 - 4]], 4); // a full stop
  drawPolylines(d.coverage, 320, 200, [[20, 15, 20, 15], [300, 180, 300, 180]], 1.2); // dust
  const img: RgbaImage = { width: 320, height: 200, data: paint(new Rng(2), d, PEN) };
  const r = segmentDigits(img);
  assert.is(r.segments.length, 2, JSON.stringify(r.segments.map((s) => s.box)));
  assert.ok(covered(d.boxes[1]!, r.segments[1]!.box) > 0.9, 'the 5 keeps its flag');
});

test('touching digits are split, a wide single digit is not', () => {
  const touching = drawDigits(new Rng(9), '40', { width: 300, height: 200, size: 120, gaps: [-0.04] });
  assert.is(segmentDigits({ width: 300, height: 200, data: paint(new Rng(1), touching, PEN) }).segments.length, 2);
  const wideZero = drawDigits(new Rng(9), '0', { width: 300, height: 200, size: 120 });
  const r = segmentDigits({ width: 300, height: 200, data: paint(new Rng(1), wideZero, PEN) });
  assert.is(r.segments.length, 1);
});

/** Two copies of an 8 (glyph variant), italic, the second shifted left so its box overlaps the first's by `overlap` × size. */
function slantedEights(variant: number, overlap: number): { img: RgbaImage; masses: number[] } {
  const W = 300, H = 200, size = 120, radius = 0.06 * size;
  const pose = (cx: number) => ({ size, cx, cy: 100, rotation: 0, slant: 0.2, stretch: 1, radius, wobble: 0 });
  const rng = new Rng(3);
  const left = placeGlyph(GLYPHS[8]![variant]!, pose(90), rng);
  const right = placeGlyph(GLYPHS[8]![variant]!, pose(0), rng);
  const shift = linesBounds(left, radius)[2] - overlap * size - linesBounds(right, radius)[0];
  const glyphs = [left, right.map((l) => l.map((v, k) => (k % 2 === 0 ? v + shift : v)))];
  const coverage = new Float32Array(W * H);
  const masses = glyphs.map((lines) => {
    const own = new Float32Array(W * H);
    drawPolylines(own, W, H, lines, radius);
    own.forEach((v, i) => (coverage[i] = Math.max(coverage[i]!, v)));
    return own.reduce((sum, v) => sum + v, 0);
  });
  return { img: { width: W, height: H, data: paint(new Rng(1), { width: W, height: H, coverage }, PEN) }, masses };
}

test('overlapping italic 8s are cut along the slant: each keeps its own two loops and none of the other\'s ink', () => {
  // A vertical cut at the column-profile minimum slices a loop of one 8 into the other (an '&' beside a '9').
  for (const [variant, overlap] of [[0, 0.1], [1, 0.15]] as const) {
    const { img, masses } = slantedEights(variant, overlap);
    const r = segmentDigits(img);
    const what = `variant ${variant}, overlap ${overlap}`;
    assert.is(r.segments.length, 2, what);
    r.segments.forEach((s, i) => {
      assert.is(s.shape.holes, 2, `${what}, digit ${i}: ${s.shape.holes} loops`);
      const ratio = s.shape.mass / masses[i]!;
      assert.ok(Math.abs(ratio - 1) < 0.06, `${what}, digit ${i}: ink ${s.shape.mass.toFixed(0)} vs its own ${masses[i]!.toFixed(0)}`);
    });
  }
});

test('non-digit images give no segments and a reason, or non-digit segments', () => {
  for (const f of fixtures.filter((x) => x.kind === 'none')) {
    const r = segmentDigits(decodeImage(f.bytes));
    assert.not.ok(r.isDigit, f.name);
    assert.type(r.reason, 'string');
  }
});

test.run();
