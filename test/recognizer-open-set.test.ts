/**
 * The shipped open-set recognizer as a whole (pipeline + model + decision rule): non-digits of
 * families it never trained on rejected, MNIST test digits not, and a symbol inside a number
 * flagged without disturbing the digits around it. The held-out families are a CI-sized sample of
 * what bench/open-set.ts measures in full; MNIST's test set is whole.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { recognizeNumber } from '../src/image/recognize.js';
import { loadMnist, loadModel, type Sequential } from '../src/index.node.js';
import { defaultModelDir } from '../src/pretrained.js';
import { mnistOutcomes, nonDigitRejection } from '../src/recognizer/open-set-eval.js';
import { modelClassifier } from '../src/recognizer/prediction.js';
import { drawPolylines, GLYPHS, placeGlyph, randomPose, type Stroke } from '../src/synthetic/glyphs.js';
import { paint, randomLook } from '../src/synthetic/handwriting.js';
import { SYMBOLS } from '../src/synthetic/nondigit-glyphs.js';
import { HELD_OUT_FAMILIES } from '../src/synthetic/nondigits.js';
import { Rng } from '../src/synthetic/rng.js';
import type { Classify } from '../src/image/types.js';

/** Issue 14's targets: at least 95% of held-out non-digits rejected, at most 0.5% of MNIST's test digits. */
const HELD_OUT_REJECTED = 0.95;
const MAX_MNIST_REJECTED = 0.005;

let model: Sequential;
let classify: Classify;

test.before(async () => {
  model = await loadModel(defaultModelDir());
  classify = modelClassifier(model);
});

test.after(() => model.dispose());

test('held-out non-digit families (never trained on): at least 95% rejected', async () => {
  // Seed 101: a seed no training or development run used.
  const rows = await nonDigitRejection(classify, 101, HELD_OUT_FAMILIES, 50);
  const rejected = rows.reduce((s, r) => s + r.rejected, 0);
  const total = rows.reduce((s, r) => s + r.samples, 0);
  console.log(`  held-out rejected ${rejected}/${total}: ${rows.map((r) => `${r.family} ${r.rejected}/${r.samples}`).join(', ')}`);
  assert.ok(rejected / total >= HELD_OUT_REJECTED, `${rejected}/${total} rejected`);
});

test('MNIST test digits through the pipeline: at most 0.5% rejected, and the accepted ones read right', async () => {
  // All 10,000, as the target is stated: the set's first part is harder (its first 2,000 alone
  // are rejected about twice as often as the whole), so a prefix would hold the model to more.
  const { test: mnist } = await loadMnist({ only: 'test' });
  const r = await mnistOutcomes(classify, mnist.x.data, mnist.labels);
  console.log(`  MNIST test: ${r.rejected}/${r.samples} rejected, ${r.wrong} misread, ${r.uncertain} uncertain`);
  assert.ok(r.rejected / r.samples <= MAX_MNIST_REJECTED, `${r.rejected}/${r.samples} rejected`);
  assert.ok(r.wrong / r.samples <= 0.015, `${r.wrong}/${r.samples} misread`);
});

/** "12*3" written with a pen: digit skeletons and the asterisk of the generator, left to right. */
function twelveStarThree(): { width: number; height: number; data: Uint8Array } {
  const rng = new Rng(5);
  const width = 360, height = 140, size = 80, radius = 4;
  const coverage = new Float32Array(width * height);
  const unitBox = (strokes: readonly Stroke[]): Stroke[] => strokes.map((s) => ({ smooth: s.smooth, points: s.points.map((v, k) => (k % 2 === 0 ? 0.6 * v : v)) }));
  const glyphs: readonly (readonly Stroke[])[] = [GLYPHS[1]![0]!, GLYPHS[2]![0]!, unitBox(SYMBOLS[0]!), GLYPHS[3]![0]!];
  glyphs.forEach((g, i) => {
    const pose = { ...randomPose(rng, i === 2 ? 0.7 * size : size, 60 + 80 * i, 70, 0), radius, rotation: 0, slant: 0 };
    drawPolylines(coverage, width, height, placeGlyph(g, pose, rng), radius);
  });
  return { width, height, data: paint(rng, { width, height, coverage }, randomLook(rng, 'pen')) };
}

test('a number with a symbol in it: "12*3" reads 1, 2, 3 and flags the asterisk as not a digit', async () => {
  const r = await recognizeNumber(twelveStarThree(), classify);
  assert.is(r.digits, '12?3', JSON.stringify(r.items.map((it) => [it.digit, it.reasonCode, it.notDigitProbability])));
  assert.not.ok(r.isDigit);
  assert.is(r.reasonCode, 'non-digit-segment');
  assert.is(r.items[2]!.reasonCode, 'not-a-digit');
  assert.match(r.reason!, /^digit 3: /);
  for (const i of [0, 1, 3]) assert.ok(r.items[i]!.isDigit);
});

test.run();
