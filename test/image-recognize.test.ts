import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DEFAULT_MIN_CONFIDENCE, decodeImage, recognizeDigit, recognizeNumber, type Classify } from '../src/image/node.js';
import { evaluateFixtures } from './fixtures/evaluate.js';
import { cachedFixtures } from './fixtures/generate.js';

const fixtures = cachedFixtures(1);
const digitFixture = fixtures.find((f) => f.kind === 'digit' && f.label === '3')!;
const numberFixture = fixtures.find((f) => f.kind === 'number' && f.label === '2024')!;

/** A stand-in classifier: answers `answer(i)` for input i with probability p. */
function stub(answer: (i: number) => number, p = 0.9): Classify & { calls: number[] } {
  const calls: number[] = [];
  const fn = async (inputs: Float32Array, n: number): Promise<Float32Array> => {
    calls.push(n);
    assert.is(inputs.length, n * 784);
    const out = new Float32Array(n * 10).fill((1 - p) / 9);
    for (let i = 0; i < n; i++) out[i * 10 + answer(i)] = p;
    return out;
  };
  return Object.assign(fn, { calls });
}

test('recognizeDigit returns the classifier answer for a digit', async () => {
  const classify = stub(() => 3);
  const r = await recognizeDigit(decodeImage(digitFixture.bytes), classify);
  assert.is(r.digit, 3);
  assert.ok(r.isDigit);
  assert.ok(Math.abs(r.confidence - 0.9) < 1e-6);
  assert.is(r.probabilities.length, 10);
  assert.ok(r.box !== null);
  assert.equal(classify.calls, [1]);
});

test('low classifier confidence turns into isDigit false (threshold is an option)', async () => {
  const unsure = stub(() => 3, 0.3);
  const r = await recognizeDigit(decodeImage(digitFixture.bytes), unsure);
  assert.ok(DEFAULT_MIN_CONFIDENCE > 0.3);
  assert.not.ok(r.isDigit);
  assert.is(r.digit, null);
  assert.match(r.reason ?? '', /unsure/);
  const relaxed = await recognizeDigit(decodeImage(digitFixture.bytes), unsure, { minConfidence: 0.2 });
  assert.is(relaxed.digit, 3);
});

test('non-digits never reach the classifier', async () => {
  const classify = stub(() => 1);
  for (const f of fixtures.filter((x) => x.kind === 'none')) {
    const r = await recognizeDigit(decodeImage(f.bytes), classify);
    assert.not.ok(r.isDigit, f.name);
    assert.is(r.digit, null);
    assert.ok(r.reason);
  }
  assert.equal(classify.calls, []);
});

test('recognizeNumber classifies all segments in one batch, left to right', async () => {
  const classify = stub((i) => [2, 0, 2, 4][i]!);
  const r = await recognizeNumber(decodeImage(numberFixture.bytes), classify);
  assert.is(r.digits, '2024');
  assert.ok(r.isDigit);
  assert.is(r.items.length, 4);
  assert.equal(classify.calls, [4]);
  for (const item of r.items) assert.ok(item.box.width > 0 && item.box.height > 0);
});

test('a classifier returning the wrong shape is an error', async () => {
  const broken: Classify = async () => new Float32Array(3);
  try {
    await recognizeDigit(decodeImage(digitFixture.bytes), broken);
    assert.unreachable();
  } catch (err) {
    assert.match((err as Error).message, /expected 10/);
  }
});

test('evaluateFixtures scores a classifier over the fixtures', async () => {
  const report = await evaluateFixtures(fixtures, stub(() => 7));
  assert.is(report.total, fixtures.length);
  assert.is(report.accuracy.none, 1);
  const sevens = fixtures.filter((f) => f.kind === 'digit' && f.label === '7').length;
  assert.ok(Math.abs(report.accuracy.digit - sevens / fixtures.filter((f) => f.kind === 'digit').length) < 1e-9);
});

test.run();
