/** The validation table the open-set thresholds are chosen from: the decision rule of recognize.ts, counted per class. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { NOT_A_DIGIT } from '../src/recognizer/open-set-data.js';
import { rejectionTable } from '../src/recognizer/open-set-thresholds.js';

/** An 11-class row: `digit` gets `p`, "not a digit" gets `nd`, the rest is spread over the other digits. */
function row(digit: number, p: number, nd: number): number[] {
  const r = new Array<number>(11).fill((1 - p - nd) / 9);
  r[digit] = p;
  r[NOT_A_DIGIT] = nd;
  return r;
}

test('counts a row as rejected when "not a digit" is above maxNotDigit, the top digit given a digit is below minConfidence, or an image-level rule ruled it out', () => {
  const probs = [
    row(3, 0.9, 0.05), // a sure digit
    row(4, 0.3, 0.65), // "not a digit" 0.65; 4 given a digit 0.86
    row(5, 0.35, 0.3), // 5 given a digit 0.5
    row(7, 0.95, 0.01), // sure, but an image-level rule (noise) ruled it out first
    row(1, 0.1, 0.85), // a non-digit
    row(2, 0.9, 0.02), // a non-digit the model reads as a 2, found a "blob" by a shape rule, which does not decide for open-set models
  ].flat();
  const ruledOut = ['', '', '', 'noise', '', 'blob'] as const;
  const labels = [3, 4, 5, 7, NOT_A_DIGIT, NOT_A_DIGIT];
  const [loose, strict] = rejectionTable(probs, [...ruledOut], labels, [0.7], [0, 0.6]);
  assert.equal(loose, { maxNotDigit: 0.7, minConfidence: 0, digitsRejected: 1 / 4, nonDigitsRejected: 1 / 2 });
  assert.equal(strict, { maxNotDigit: 0.7, minConfidence: 0.6, digitsRejected: 2 / 4, nonDigitsRejected: 1 / 2 });
  const [tight] = rejectionTable(probs, [...ruledOut], labels, [0.6], [0]);
  assert.is(tight!.digitsRejected, 2 / 4);
});

test.run();
