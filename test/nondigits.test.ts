/** The seeded non-digit generator: deterministic per seed, every family draws ink, the split is clean. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { preprocessDigit } from '../src/image/preprocess.js';
import { EXTRA_TRAIN_FAMILIES, HELD_OUT_FAMILIES, NON_DIGIT_FAMILIES, nonDigitSample, parseTrainFamilies, TRAIN_FAMILIES } from '../src/synthetic/nondigits.js';

const digest = (b: Uint8Array): number => b.reduce((h, v) => (Math.imul(h, 31) + v) >>> 0, 7);

test('the same seed and index give the same image, byte for byte; another seed another image', () => {
  for (const family of NON_DIGIT_FAMILIES) {
    const a = nonDigitSample(3, family, 5);
    const b = nonDigitSample(3, family, 5);
    assert.is(a.width, b.width, family);
    assert.is(a.height, b.height, family);
    assert.is(digest(a.rgba), digest(b.rgba), family);
    assert.is(a.rgba.length, a.width * a.height * 4);
    const c = nonDigitSample(4, family, 5);
    assert.ok(c.width !== a.width || digest(c.rgba) !== digest(a.rgba), `${family}: seed 4 drew the same image as seed 3`);
  }
});

test('a sample does not depend on which other samples were drawn before it', () => {
  const alone = nonDigitSample(9, 'icons', 17);
  for (let i = 0; i < 5; i++) nonDigitSample(9, 'faces', i);
  assert.is(digest(nonDigitSample(9, 'icons', 17).rgba), digest(alone.rgba));
});

test('train and held-out families are disjoint and together are all families', () => {
  const train = new Set<string>([...TRAIN_FAMILIES, ...EXTRA_TRAIN_FAMILIES]);
  for (const f of HELD_OUT_FAMILIES) assert.not.ok(train.has(f), f);
  assert.equal([...NON_DIGIT_FAMILIES].sort(), [...TRAIN_FAMILIES, ...EXTRA_TRAIN_FAMILIES, ...HELD_OUT_FAMILIES].sort());
});

test('--families takes train families only: a held-out or unknown name is refused by name', () => {
  assert.equal(parseTrainFamilies('shapes, katakana'), ['shapes', 'katakana']);
  assert.throws(() => parseTrainFamilies('shapes,greek'), /'greek' is a held-out family/);
  assert.throws(() => parseTrainFamilies('shapes,klingon'), /unknown family 'klingon'/);
});

test('adding families left the samples of the older ones as they were (seeds follow NON_DIGIT_FAMILIES order, new ones last)', () => {
  assert.equal(NON_DIGIT_FAMILIES.slice(0, TRAIN_FAMILIES.length + HELD_OUT_FAMILIES.length), [...TRAIN_FAMILIES, ...HELD_OUT_FAMILIES]);
});

test('every family draws visible ink (the pipeline finds marks in most samples)', () => {
  for (const family of NON_DIGIT_FAMILIES) {
    let inked = 0;
    for (let i = 0; i < 10; i++) {
      const s = nonDigitSample(1, family, i);
      const pre = preprocessDigit({ width: s.width, height: s.height, data: s.rgba });
      if (pre.box !== null) inked++;
    }
    assert.ok(inked >= 8, `${family}: only ${inked}/10 samples have ink`);
  }
});

test.run();
