import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DEFAULT_MAX_NOT_DIGIT, DEFAULT_MIN_CONFIDENCE, DEFAULT_SURE_CONFIDENCE, decodeImage, recognizeDigit, recognizeNumber, type Classify } from '../src/image/node.js';
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

test('a ten-class classifier: every non-digit fixture is rejected by the rules, with a reason and its code', async () => {
  const classify = stub(() => 1, 0.99);
  for (const f of fixtures.filter((x) => x.kind === 'none')) {
    const r = await recognizeDigit(decodeImage(f.bytes), classify);
    assert.not.ok(r.isDigit, f.name);
    assert.is(r.digit, null);
    assert.ok(r.reason);
    assert.ok(['blank', 'noise', 'texture', 'too-small', 'blob', 'line', 'grid'].includes(r.reasonCode!), `${f.name}: ${r.reasonCode}`);
  }
});

/** An open-set stand-in: eleven probabilities, the last "not a digit". */
function openSet(notDigit: number, digit = 3, p = 1 - notDigit): Classify & { calls: number[] } {
  const calls: number[] = [];
  const fn = async (_inputs: Float32Array, n: number): Promise<Float32Array> => {
    calls.push(n);
    const out = new Float32Array(n * 11);
    for (let i = 0; i < n; i++) {
      out.fill((1 - notDigit - p) / 9, i * 11, i * 11 + 10);
      out[i * 11 + digit] = p;
      out[i * 11 + 10] = notDigit;
    }
    return out;
  };
  return Object.assign(fn, { calls });
}

test('an open-set classifier: "not a digit" above the threshold rejects with code not-a-digit; below it the digit is read', async () => {
  const image = decodeImage(digitFixture.bytes);
  const no = await recognizeDigit(image, openSet(DEFAULT_MAX_NOT_DIGIT + 0.05));
  assert.not.ok(no.isDigit);
  assert.is(no.digit, null);
  assert.is(no.reasonCode, 'not-a-digit');
  assert.ok(Math.abs(no.notDigitProbability! - (DEFAULT_MAX_NOT_DIGIT + 0.05)) < 1e-6);
  const yes = await recognizeDigit(image, openSet(0.01));
  assert.ok(yes.isDigit);
  assert.is(yes.digit, 3);
  assert.not.ok(yes.uncertain);
  assert.is(yes.probabilities.length, 10);
  const strict = await recognizeDigit(image, openSet(0.3), { maxNotDigit: 0.2 });
  assert.is(strict.reasonCode, 'not-a-digit');
});

test('an open-set classifier: an ambiguous digit is answered but flagged uncertain; sure answers are not', async () => {
  const image = decodeImage(digitFixture.bytes);
  const ambiguous = await recognizeDigit(image, openSet(0.05, 3, 0.4)); // 3 at 0.4, the other digits 0.061 each
  assert.ok(ambiguous.isDigit);
  assert.is(ambiguous.digit, 3);
  assert.ok(ambiguous.uncertain);
  assert.ok(DEFAULT_SURE_CONFIDENCE > 0.4);
  const closedSet = await recognizeDigit(image, stub(() => 3, 0.4));
  assert.not.ok(closedSet.isDigit, 'a ten-class classifier at 0.4 is still unsure');
  assert.is(closedSet.reasonCode, 'unsure');
});

test('an open-set classifier decides on shapes the rules call blobs or lines; a ten-class one does not', async () => {
  const blob = fixtures.find((f) => f.name.startsWith('none-blob-rectangle'))!;
  const open = openSet(0.02);
  const r = await recognizeDigit(decodeImage(blob.bytes), open);
  assert.equal(open.calls, [1]);
  assert.ok(r.isDigit, 'the (stand-in) model said digit, and the shape rules are off for open-set models by default');
  const ruled = await recognizeDigit(decodeImage(blob.bytes), openSet(0.02), { shapeRules: true });
  assert.is(ruled.reasonCode, 'blob');
  assert.is((await recognizeDigit(decodeImage(blob.bytes), stub(() => 3, 0.99))).reasonCode, 'blob');
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
    assert.match((err as Error).message, /expected 10 \(ten digits\) or 11/);
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
